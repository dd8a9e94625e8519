import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WarmRequest } from '@dockmaster/core/prepopulate';
import { createSqsWarmQueue, WarmQueueError } from '../../src/adapters/warm-queue.js';

const sqsMock = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/111122223333/dockmaster-prepopulate';

const requests = (count: number): WarmRequest[] =>
  Array.from({ length: count }, (_, index) => ({ kind: 'warm', id: `run:k8s/pause:3.${index}`, repository: 'k8s/pause', tag: `3.${index}` }));

beforeEach(() => {
  sqsMock.reset();
});

describe('createSqsWarmQueue', () => {
  it('sends 25 messages as batches of 10, 10 and 5 with unique entry ids', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map(({ Id }) => ({ Id })), Failed: [] }));
    const queue = createSqsWarmQueue({ queueUrl: QUEUE_URL, client: new SQSClient({ region: 'eu-central-1' }) });

    // Act
    await queue.send(requests(25));

    // Assess
    const batches = sqsMock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries ?? []);
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(new Set(batches.flat().map((entry) => entry.Id)).size).toBe(25);
    expect(JSON.parse(batches[2]?.[4]?.MessageBody ?? '{}')).toEqual(requests(25)[24]);
  });

  it('fails when SQS rejects an entry, naming the reason', async () => {
    // Prepare
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: 'warm-0', Code: 'InternalError', SenderFault: false, Message: 'try again' }] });
    const queue = createSqsWarmQueue({ queueUrl: QUEUE_URL, client: new SQSClient({ region: 'eu-central-1' }) });

    // Act
    const act = queue.send(requests(1));

    // Assess
    await expect(act).rejects.toThrow(WarmQueueError);
    await expect(act).rejects.toThrow('warm-0: InternalError try again');
  });
});
