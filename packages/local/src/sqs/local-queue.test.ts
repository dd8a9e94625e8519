import { DeadLetterAttribute } from '@dockmaster/core/constants';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../aws-endpoint/clock.js';
import { LocalSqs } from './local-sqs.js';

function localQueues(): { clock: ManualClock; sqs: LocalSqs } {
  const clock = new ManualClock();
  const sqs = new LocalSqs({
    accountId: '123456789012',
    region: 'eu-central-1',
    clock,
    queues: [
      { name: 'tag-policy', visibilityTimeoutSeconds: 60, maxReceiveCount: 2, deadLetterQueueName: 'tag-policy-dlq' },
      { name: 'tag-policy-dlq' },
    ],
  });
  return { clock, sqs };
}

describe('Lambda-shaped consumer API', () => {
  it('receives records shaped exactly like Lambda SQS event records', () => {
    // Prepare
    const { clock, sqs } = localQueues();
    const queue = sqs.queue('tag-policy');
    const sent = queue.send({ body: '{"detail":{}}', messageAttributes: { source: { DataType: 'String', StringValue: 'bus' } } });

    // Act
    const [record, ...rest] = queue.receiveBatch(10);

    // Assess
    expect(rest).toEqual([]);
    expect(record).toEqual({
      messageId: sent.messageId,
      receiptHandle: expect.any(String),
      body: '{"detail":{}}',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(clock.now()), SenderId: expect.any(String), ApproximateFirstReceiveTimestamp: String(clock.now()) },
      messageAttributes: { source: { stringValue: 'bus', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: sent.md5OfBody,
      md5OfMessageAttributes: sent.md5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-central-1:123456789012:tag-policy',
      awsRegion: 'eu-central-1',
    });
  });

  it('settles a batch: successes are deleted, failures return after the visibility timeout and go to the DLQ with the reason', () => {
    // Prepare
    const { clock, sqs } = localQueues();
    const queue = sqs.queue('tag-policy');
    queue.send({ body: 'good' });
    queue.send({ body: 'bad' });

    // Act
    const first = queue.receiveBatch(10);
    const bad = first.find((record) => record.body === 'bad');
    queue.settle(first, [{ itemIdentifier: bad?.messageId ?? '', reason: 'tag v1 violates policy "semver"' }]);
    const beforeTimeout = queue.receiveBatch(10);
    clock.advance(60_000);
    const retried = queue.receiveBatch(10);
    queue.settle(retried, [{ itemIdentifier: retried[0]?.messageId ?? '', reason: 'still failing' }]);
    clock.advance(60_000);
    const third = queue.receiveBatch(10);
    const dead = sqs.queue('tag-policy-dlq').receiveBatch(10);

    // Assess
    expect(first.map((record) => record.body).sort()).toEqual(['bad', 'good']);
    expect(beforeTimeout).toEqual([]);
    expect(retried.map((record) => [record.body, record.attributes.ApproximateReceiveCount])).toEqual([['bad', '2']]);
    expect(third).toEqual([]);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.messageId).toBe(bad?.messageId);
    expect(dead[0]?.body).toBe('bad');
    expect(dead[0]?.messageAttributes[DeadLetterAttribute.FailureReason]?.stringValue).toBe('still failing');
    expect(dead[0]?.attributes.DeadLetterQueueSourceArn).toBe('arn:aws:sqs:eu-central-1:123456789012:tag-policy');
    expect(queue.counts()).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it('fails the whole batch when a failure names no record of it, as Lambda does', () => {
    // Prepare
    const { clock, sqs } = localQueues();
    const queue = sqs.queue('tag-policy');
    queue.send({ body: 'one' });
    queue.send({ body: 'two' });
    const batch = queue.receiveBatch(10);

    // Act
    queue.settle(batch, [{ itemIdentifier: '' }]);
    clock.advance(60_000);
    const redelivered = queue.receiveBatch(10);

    // Assess
    expect(redelivered.map((record) => record.body).sort()).toEqual(['one', 'two']);
  });

  it('tells subscribers when messages become available, including after a visibility timeout', () => {
    // Prepare
    const { clock, sqs } = localQueues();
    const queue = sqs.queue('tag-policy');
    let notifications = 0;
    queue.onMessageAvailable(() => {
      notifications += 1;
    });

    // Act
    queue.send({ body: 'x' });
    const afterSend = notifications;
    queue.receiveBatch(1);
    clock.advance(60_000);

    // Assess
    expect(afterSend).toBe(1);
    expect(notifications).toBe(2);
  });

  it('refuses a declaration whose dead-letter queue is not declared', () => {
    // Act
    const build = (): LocalSqs => new LocalSqs({ queues: [{ name: 'orphan', maxReceiveCount: 3, deadLetterQueueName: 'missing-dlq' }] });

    // Assess
    expect(build).toThrow(/missing-dlq/);
  });
});
