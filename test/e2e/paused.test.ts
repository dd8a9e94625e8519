import { CreateRepositoryCommand, ListImagesCommand } from '@aws-sdk/client-ecr';
import { queueName } from '@dockmaster/local/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * Issue 10 item 6 on the local stack, with the production tag-policy worker: events that arrive while an
 * automation is paused are kept in its queue (sent back delayed, through the local SQS endpoint, to the queue
 * named by the record's eventSourceARN), not acknowledged and dropped. That they are processed after the resume
 * is shown in packages/functions/test/sqs-batch-handler.test.ts (the delay is SQS's longest, 15 minutes).
 */

let e2e: TestStack;

beforeAll(async () => {
  e2e = await startTestStack({ prefix: 'paused', appendToExample: '\nautomations:\n  tag-policy:\n    paused: true\n', demoImage: true });
});

afterAll(async () => {
  await e2e?.stop();
});

describe('a paused automation', () => {
  it('takes no action on a push and keeps the event in its queue, delayed, with nothing in the dead-letter queue', async () => {
    // Prepare
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
    const queue = e2e.stack.sqs.queue(queueName(e2e.stack.topology, 'tag-policy'));

    // Act
    await e2e.push('prod/payments/api', 'latest');
    await e2e.stack.drain(30_000);

    // Assess
    const listed = await e2e.ecr.send(new ListImagesCommand({ repositoryName: 'prod/payments/api' }));
    expect((listed.imageIds ?? []).map((id) => id.imageTag)).toEqual(['latest']);
    expect(queue.counts()).toEqual({ visible: 0, notVisible: 0, delayed: 1 });
    expect(queue.deadLetterQueue?.counts().visible).toBe(0);
  });
});
