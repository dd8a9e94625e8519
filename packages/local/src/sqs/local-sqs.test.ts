import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../aws-endpoint/clock.js';
import { startAwsEndpoint } from '../aws-endpoint/server.js';
import type { RunningAwsEndpoint } from '../aws-endpoint/server.js';
import { LocalSqs } from './local-sqs.js';
import { md5OfMessageAttributes } from './message-md5.js';
import { errorOf } from '../shared/error-of.testing.js';

let clock: ManualClock;
let sqs: LocalSqs;
let endpoint: RunningAwsEndpoint;
let client: SQSClient;
let workUrl: string;

beforeEach(async () => {
  clock = new ManualClock();
  sqs = new LocalSqs({
    accountId: '123456789012',
    clock,
    queues: [
      { name: 'work', visibilityTimeoutSeconds: 30, maxReceiveCount: 2, deadLetterQueueName: 'work-dlq', messageRetentionSeconds: 3600 },
      { name: 'work-dlq', messageRetentionSeconds: 1_209_600 },
      { name: 'plain', visibilityTimeoutSeconds: 30 },
    ],
  });
  const unused = { operations: {} };
  endpoint = await startAwsEndpoint({ ecr: { ...unused, downloadLayer: async () => new Response(null, { status: 404 }) }, sqs, ssm: unused, events: { putEvents: () => [] } });
  client = new SQSClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  workUrl = (await client.send(new GetQueueUrlCommand({ QueueName: 'work' }))).QueueUrl ?? '';
});

afterEach(async () => {
  client.destroy();
  await endpoint.stop();
});

describe('queue discovery', () => {
  it('resolves queue URLs on the endpoint, lists queues and throws QueueDoesNotExist for an undeclared queue', async () => {
    // Act
    const missing = await errorOf(client.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    const listed = await client.send(new ListQueuesCommand({ QueueNamePrefix: 'work' }));
    const firstPage = await client.send(new ListQueuesCommand({ MaxResults: 1 }));
    const secondPage = await client.send(new ListQueuesCommand({ MaxResults: 2, NextToken: firstPage.NextToken }));
    const sendToMissing = await errorOf(client.send(new SendMessageCommand({ QueueUrl: `${endpoint.url}/123456789012/nope`, MessageBody: 'x' })));

    // Assess
    expect(workUrl).toBe(`${endpoint.url}/123456789012/work`);
    expect(missing.name).toBe('QueueDoesNotExist');
    expect(missing.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(listed.QueueUrls).toEqual([`${endpoint.url}/123456789012/work`, `${endpoint.url}/123456789012/work-dlq`]);
    expect(firstPage.QueueUrls).toEqual([`${endpoint.url}/123456789012/plain`]);
    expect(secondPage.QueueUrls).toEqual([`${endpoint.url}/123456789012/work`, `${endpoint.url}/123456789012/work-dlq`]);
    expect(secondPage.NextToken).toBeUndefined();
    expect(sendToMissing.name).toBe('QueueDoesNotExist');
  });

  it('lists the queues whose redrive policy names a DLQ, and none for a queue that is nobody\'s DLQ', async () => {
    // Act
    const sources = await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: `${endpoint.url}/123456789012/work-dlq` }));
    const none = await client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: workUrl }));

    // Assess
    expect(sources.queueUrls).toEqual([workUrl]);
    expect(none.queueUrls).toEqual([]);
  });
});

describe('sending and receiving', () => {
  it('round-trips body, message attributes and system attributes with correct MD5s (the SDK verifies the body MD5)', async () => {
    // Prepare
    const attributes = { kind: { DataType: 'String', StringValue: 'image-pushed' }, blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) } };

    // Act
    const sent = await client.send(new SendMessageCommand({ QueueUrl: workUrl, MessageBody: '{"hello":"wörld"}', MessageAttributes: attributes }));
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }));

    // Assess
    const message = received.Messages?.[0];
    expect(received.Messages).toHaveLength(1);
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.Body).toBe('{"hello":"wörld"}');
    expect(message?.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'image-pushed' });
    expect(message?.MessageAttributes?.blob?.BinaryValue).toEqual(new Uint8Array([1, 2, 3]));
    expect(sent.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ kind: { DataType: 'String', StringValue: 'image-pushed' }, blob: { DataType: 'Binary', BinaryValue: 'AQID' } }));
    expect(message?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(message?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SentTimestamp: String(clock.now()), ApproximateFirstReceiveTimestamp: String(clock.now()) });
  });

  it('computes MD5OfMessageAttributes over the documented byte layout, sorted by name', () => {
    // Prepare
    const chunk = (text: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, Buffer.byteLength(text)]), Buffer.from(text)]);
    const expected = createHash('md5')
      .update(Buffer.concat([chunk('a'), chunk('Number'), Buffer.from([1]), chunk('42'), chunk('b'), chunk('Binary'), Buffer.from([2]), Buffer.from([0, 0, 0, 2, 0xff, 0x00])]))
      .digest('hex');

    // Act
    const md5 = md5OfMessageAttributes({ b: { DataType: 'Binary', BinaryValue: Buffer.from([0xff, 0x00]).toString('base64') }, a: { DataType: 'Number', StringValue: '42' } });

    // Assess
    expect(md5).toBe(expected);
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });

  it('validates MaxNumberOfMessages and WaitTimeSeconds like SQS', async () => {
    // Act
    const tooMany = await errorOf(client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, MaxNumberOfMessages: 11 })));
    const tooLong = await errorOf(client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, WaitTimeSeconds: 21 })));

    // Assess
    expect(tooMany.name).toBe('InvalidParameterValue');
    expect(tooLong.name).toBe('InvalidParameterValue');
  });

  it('reports per-entry failures from SendMessageBatch and whole-request errors for bad batches', async () => {
    // Act
    const batch = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: workUrl,
        Entries: [
          { Id: 'ok-1', MessageBody: 'first' },
          { Id: 'bad-chars', MessageBody: 'nul \u0000 inside' },
          { Id: 'bad-delay', MessageBody: 'later', DelaySeconds: 901 },
          { Id: 'ok-2', MessageBody: 'second' },
        ],
      }),
    );
    const duplicateIds = await errorOf(client.send(new SendMessageBatchCommand({ QueueUrl: workUrl, Entries: [{ Id: 'a', MessageBody: '1' }, { Id: 'a', MessageBody: '2' }] })));
    const empty = await errorOf(client.send(new SendMessageBatchCommand({ QueueUrl: workUrl, Entries: [] })));
    const eleven = await errorOf(client.send(new SendMessageBatchCommand({ QueueUrl: workUrl, Entries: Array.from({ length: 11 }, (_, index) => ({ Id: `m${index}`, MessageBody: 'x' })) })));
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: workUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));

    // Assess
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['ok-1', 'ok-2']);
    expect(batch.Failed).toEqual([
      expect.objectContaining({ Id: 'bad-chars', SenderFault: true, Code: 'InvalidMessageContents' }),
      expect.objectContaining({ Id: 'bad-delay', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    expect(duplicateIds.name).toBe('BatchEntryIdsNotDistinct');
    expect(empty.name).toBe('EmptyBatchRequest');
    expect(eleven.name).toBe('TooManyEntriesInBatchRequest');
    expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: '2' });
  });

  it('long-polls until a message arrives, and returns empty when the wait time passes on the clock', async () => {
    // Prepare
    const waiting = client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, WaitTimeSeconds: 20 }));
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));

    // Act
    await client.send(new SendMessageCommand({ QueueUrl: workUrl, MessageBody: 'wake up' }));
    const woken = await waiting;
    const empty = client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, WaitTimeSeconds: 5 }));
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(2));
    clock.advance(5_000);
    const timedOut = await empty;

    // Assess
    expect(woken.Messages?.map((message) => message.Body)).toEqual(['wake up']);
    expect(timedOut.Messages ?? []).toEqual([]);
  });
});

describe('visibility, deletion and dead letters', () => {
  it('hides a received message for the visibility timeout, then redelivers it with a higher receive count', async () => {
    // Prepare
    await client.send(new SendMessageCommand({ QueueUrl: workUrl, MessageBody: 'job' }));
    const first = await client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));

    // Act
    const whileHidden = await client.send(new ReceiveMessageCommand({ QueueUrl: workUrl }));
    const counts = await client.send(new GetQueueAttributesCommand({ QueueUrl: workUrl, AttributeNames: ['All'] }));
    clock.advance(30_000);
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    const staleDelete = await client.send(new DeleteMessageCommand({ QueueUrl: workUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    const afterStale = await client.send(new GetQueueAttributesCommand({ QueueUrl: workUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
    await client.send(new DeleteMessageCommand({ QueueUrl: workUrl, ReceiptHandle: again.Messages?.[0]?.ReceiptHandle }));
    clock.advance(60_000);
    const afterDelete = await client.send(new ReceiveMessageCommand({ QueueUrl: workUrl }));
    const invalidHandle = await errorOf(client.send(new DeleteMessageCommand({ QueueUrl: workUrl, ReceiptHandle: 'garbage' })));

    // Assess
    expect(first.Messages?.[0]?.Attributes).toEqual({ ApproximateReceiveCount: '1' });
    expect(whileHidden.Messages ?? []).toEqual([]);
    expect(counts.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
      VisibilityTimeout: '30',
      QueueArn: 'arn:aws:sqs:eu-central-1:123456789012:work',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:eu-central-1:123456789012:work-dlq', maxReceiveCount: 2 }),
    });
    expect(again.Messages?.[0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    expect(staleDelete.$metadata.httpStatusCode).toBe(200);
    expect(afterStale.Attributes).toEqual({ ApproximateNumberOfMessagesNotVisible: '1' });
    expect(afterDelete.Messages ?? []).toEqual([]);
    expect(invalidHandle.name).toBe('ReceiptHandleIsInvalid');
  });

  it('changes visibility (single and batch), refusing messages not in flight', async () => {
    // Prepare: a queue without redrive, so repeated receives never move a message away
    const plainUrl = `${endpoint.url}/123456789012/plain`;
    await client.send(new SendMessageBatchCommand({ QueueUrl: plainUrl, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: plainUrl, MaxNumberOfMessages: 10 }));
    const [a, b] = received.Messages ?? [];

    // Act
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: plainUrl, ReceiptHandle: a?.ReceiptHandle, VisibilityTimeout: 0 }));
    const visibleAgain = await client.send(new ReceiveMessageCommand({ QueueUrl: plainUrl, MaxNumberOfMessages: 10 }));
    const batch = await client.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: plainUrl, Entries: [{ Id: 'stale', ReceiptHandle: a?.ReceiptHandle, VisibilityTimeout: 10 }, { Id: 'b', ReceiptHandle: b?.ReceiptHandle, VisibilityTimeout: 600 }] }),
    );
    clock.advance(30_000);
    const bStillHidden = await client.send(new ReceiveMessageCommand({ QueueUrl: plainUrl, MaxNumberOfMessages: 10 }));
    const deleted = await client.send(new DeleteMessageBatchCommand({ QueueUrl: plainUrl, Entries: [{ Id: 'b', ReceiptHandle: b?.ReceiptHandle }, { Id: 'bad', ReceiptHandle: 'garbage' }] }));

    // Assess
    expect(visibleAgain.Messages?.map((message) => message.Body)).toEqual(['a']);
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['b']);
    expect(batch.Failed?.[0]).toMatchObject({ Id: 'stale', Code: 'MessageNotInflight', SenderFault: true });
    expect(bStillHidden.Messages?.map((message) => message.Body)).toEqual(['a']);
    expect(deleted.Successful?.map((entry) => entry.Id)).toEqual(['b']);
    expect(deleted.Failed?.[0]).toMatchObject({ Id: 'bad', Code: 'ReceiptHandleIsInvalid' });
  });

  it('moves a message received more than maxReceiveCount times to its DLQ with body and attributes intact', async () => {
    // Prepare
    const sent = await client.send(new SendMessageCommand({ QueueUrl: workUrl, MessageBody: 'poison', MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } } }));
    const dlqUrl = (await client.send(new GetQueueUrlCommand({ QueueName: 'work-dlq' }))).QueueUrl;

    // Act
    const receiveCounts: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const received = await client.send(new ReceiveMessageCommand({ QueueUrl: workUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      receiveCounts.push(...(received.Messages ?? []).map((message) => message.Attributes?.ApproximateReceiveCount ?? ''));
      clock.advance(30_000);
    }
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }));

    // Assess
    expect(receiveCounts).toEqual(['1', '2']);
    expect(dead.Messages?.[0]).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'poison',
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } },
      Attributes: expect.objectContaining({ DeadLetterQueueSourceArn: 'arn:aws:sqs:eu-central-1:123456789012:work' }),
    });
  });

  it('purges a queue once per 60 seconds and drops messages past their retention period', async () => {
    // Prepare
    await client.send(new SendMessageCommand({ QueueUrl: workUrl, MessageBody: 'purged' }));

    // Act
    await client.send(new PurgeQueueCommand({ QueueUrl: workUrl }));
    const secondPurge = await errorOf(client.send(new PurgeQueueCommand({ QueueUrl: workUrl })));
    await client.send(new SendMessageCommand({ QueueUrl: workUrl, MessageBody: 'expires' }));
    clock.advance(3_600_000);
    const afterRetention = await client.send(new GetQueueAttributesCommand({ QueueUrl: workUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));

    // Assess
    expect(secondPurge.name).toBe('PurgeQueueInProgress');
    expect(secondPurge.$metadata?.httpStatusCode).toBe(403);
    expect(afterRetention.Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
  });
});
