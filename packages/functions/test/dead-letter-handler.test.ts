import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ECRServiceException } from '@aws-sdk/client-ecr';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DockmasterConfigSchema } from '@dockmaster/core/config';
import { AutomationId, DeadLetterAttribute } from '@dockmaster/core/constants';
import { UserFacingError } from '@dockmaster/core/errors';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { createSqsDeadLetterQueue, type DeadLetterQueue } from '../src/adapters/dead-letter.js';
import { createSqsBatchHandler } from '../src/handlers/wiring/sqs-worker.js';
import { invokeWorker, sqsRecordFactory } from './factories.js';
import { useWorkerDynamoDB } from './local-dynamodb.js';
import { silentTelemetry } from './telemetry.js';

/*
 * The batch handler's failure handling, with a worker whose record handler fails on demand: transient failures
 * are batch item failures (SQS retries them), permanent ones go to the DLQ with their reason and count as handled.
 */

const sqsMock = mockClient(SQSClient);
const DLQ_URL = 'https://sqs.eu-central-1.amazonaws.com/111122223333/dockmaster-prod-tag-policy-dlq';
const FAILED_AT = new Date('2026-03-04T05:06:07.000Z');
const db = useWorkerDynamoDB('dockmaster-dead-letter-idempotency');

const config = DockmasterConfigSchema.parse({ version: 1, registry: { accountId: '111122223333', region: 'eu-central-1' } });

const TestEventSchema = z.object({ id: z.string(), 'detail-type': z.string(), detail: z.object({ action: z.enum(['succeed', 'deny', 'throttle', 'reject-policy']) }) });
type TestEvent = z.output<typeof TestEventSchema>;

const ecrError = (name: string, httpStatusCode: number, message: string) =>
  new ECRServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode }, message });

/** What the test worker does per action; counts how often each event id was really processed. */
const processed = new Map<string, number>();
const processRecord = async (event: TestEvent) => {
  processed.set(event.id, (processed.get(event.id) ?? 0) + 1);
  switch (event.detail.action) {
    case 'succeed':
      return { outcome: 'done' };
    case 'deny':
      throw ecrError('AccessDeniedException', 400, 'User: arn:aws:sts::111122223333:assumed-role/worker is not authorized to perform: ecr:SetRepositoryPolicy');
    case 'throttle':
      throw ecrError('ThrottlingException', 400, 'Rate exceeded');
    case 'reject-policy':
      throw new UserFacingError('REPOSITORY_POLICY_REJECTED', 'ECR rejected the repository policy for "k8s/pause": Invalid repository policy provided.\nCheck pullAccounts.');
  }
};

const createHandler = (deadLetterQueue: DeadLetterQueue | undefined) =>
  createSqsBatchHandler({
    automation: AutomationId.TagPolicy,
    schema: TestEventSchema,
    idempotencyKey: 'id',
    processRecord,
    deps: {
      loadConfig: async () => config,
      persistenceStore: db.persistenceStore(),
      clock: () => FAILED_AT,
      ...silentTelemetry('tag-policy'),
      deadLetterQueue,
    },
  });

const sqsDeadLetterQueue = () => createSqsDeadLetterQueue({ queueUrl: DLQ_URL, client: new SQSClient({ region: 'eu-central-1' }) });
const record = (action: TestEvent['detail']['action']): SQSRecord => sqsRecordFactory({ id: randomUUID(), 'detail-type': 'Test Event', detail: { action } });
const sentToDeadLetterQueue = () => sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: randomUUID() });
  processed.clear();
});

describe('permanent failures', () => {
  it('sends an AccessDeniedException record to the DLQ once, with its body and the five failure attributes, and reports it handled', async () => {
    // Prepare
    const denied = record('deny');

    // Act
    const response = await invokeWorker(createHandler(sqsDeadLetterQueue()), [denied]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sentToDeadLetterQueue()).toEqual([
      {
        QueueUrl: DLQ_URL,
        MessageBody: denied.body,
        MessageAttributes: {
          [DeadLetterAttribute.FailureReason]: {
            DataType: 'String',
            StringValue: 'AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/worker is not authorized to perform: ecr:SetRepositoryPolicy',
          },
          [DeadLetterAttribute.ErrorCode]: { DataType: 'String', StringValue: 'AccessDeniedException' },
          [DeadLetterAttribute.Automation]: { DataType: 'String', StringValue: 'tag-policy' },
          [DeadLetterAttribute.SourceMessageId]: { DataType: 'String', StringValue: denied.messageId },
          [DeadLetterAttribute.FailedAt]: { DataType: 'String', StringValue: '2026-03-04T05:06:07.000Z' },
        },
      },
    ]);
  });

  it('sends a UserFacingError with its code and a one-line reason', async () => {
    // Act
    const response = await invokeWorker(createHandler(sqsDeadLetterQueue()), [record('reject-policy')]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const attributes = sentToDeadLetterQueue()[0]?.MessageAttributes;
    expect(attributes?.[DeadLetterAttribute.ErrorCode]?.StringValue).toBe('REPOSITORY_POLICY_REJECTED');
    expect(attributes?.[DeadLetterAttribute.FailureReason]?.StringValue).toBe(
      'ECR rejected the repository policy for "k8s/pause": Invalid repository policy provided. Check pullAccounts.',
    );
  });

  it('sends a message whose body is not the expected event to the DLQ without calling the worker', async () => {
    // Prepare
    const notJson = sqsRecordFactory(undefined, { body: '{"id": "truncated' });
    const wrongShape = sqsRecordFactory({ id: 'e-1', 'detail-type': 'Test Event', detail: { action: 'explode' } });

    // Act
    const response = await invokeWorker(createHandler(sqsDeadLetterQueue()), [notJson, wrongShape]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(processed.size).toBe(0);
    expect(sentToDeadLetterQueue().map((input) => [input.MessageBody, input.MessageAttributes?.[DeadLetterAttribute.ErrorCode]?.StringValue])).toEqual([
      [notJson.body, 'INVALID_EVENT'],
      [wrongShape.body, 'INVALID_EVENT'],
    ]);
  });

  it('sends a body nested 5,000 deep to the DLQ as INVALID_EVENT with the limit, without calling the worker', async () => {
    // Prepare
    const deep = sqsRecordFactory(undefined, { body: `{"id":"e-deep","detail":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}` });

    // Act
    const response = await invokeWorker(createHandler(sqsDeadLetterQueue()), [deep]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(processed.size).toBe(0);
    const attributes = sentToDeadLetterQueue()[0]?.MessageAttributes;
    expect(attributes?.[DeadLetterAttribute.ErrorCode]?.StringValue).toBe('INVALID_EVENT');
    expect(attributes?.[DeadLetterAttribute.FailureReason]?.StringValue).toContain('body: the event is nested more than 1000 levels deep');
  });

  it('keeps the record\'s own attributes next to the failure attributes', async () => {
    // Prepare
    const withAttributes = { ...record('deny'), messageAttributes: { origin: { dataType: 'String', stringValue: 'fan-out', stringListValues: [], binaryListValues: [] } } };

    // Act
    await invokeWorker(createHandler(sqsDeadLetterQueue()), [withAttributes]);

    // Assess
    const attributes = sentToDeadLetterQueue()[0]?.MessageAttributes ?? {};
    expect(attributes.origin).toEqual({ DataType: 'String', StringValue: 'fan-out' });
    expect(Object.keys(attributes)).toHaveLength(6);
  });

  it('processes a redriven message again: a dead-lettered record leaves no idempotency record behind', async () => {
    // Prepare
    const denied = record('deny');
    const handler = createHandler(sqsDeadLetterQueue());
    await invokeWorker(handler, [denied]);

    // Act: the same message comes back from the DLQ after the fix (here: still denied, so it goes back there).
    await invokeWorker(handler, [{ ...denied, messageId: randomUUID() }]);

    // Assess
    expect(processed.get(JSON.parse(denied.body).id as string)).toBe(2);
    expect(sentToDeadLetterQueue()).toHaveLength(2);
  });
});

describe('transient failures and fallbacks', () => {
  it('reports a throttled record as a batch item failure for SQS to retry, and sends nothing to the DLQ', async () => {
    // Prepare
    const throttled = record('throttle');
    const fine = record('succeed');

    // Act
    const response = await invokeWorker(createHandler(sqsDeadLetterQueue()), [throttled, fine]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: throttled.messageId }]);
    expect(sentToDeadLetterQueue()).toEqual([]);
  });

  it('falls back to a batch item failure for a permanent failure when no DLQ is configured', async () => {
    // Prepare
    const denied = record('deny');

    // Act
    const response = await invokeWorker(createHandler(undefined), [denied, record('succeed')]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: denied.messageId }]);
    expect(sentToDeadLetterQueue()).toEqual([]);
  });

  it('falls back to a batch item failure when the DLQ refuses the message', async () => {
    // Prepare
    sqsMock.on(SendMessageCommand).rejects(Object.assign(new Error('Access to the resource is denied.'), { name: 'AccessDenied' }));
    const denied = record('deny');

    // Act
    const response = await invokeWorker(createHandler(sqsDeadLetterQueue()), [denied, record('succeed')]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: denied.messageId }]);
    expect(sentToDeadLetterQueue()).toHaveLength(1);
  });

  it('accounts for every record of a mixed batch: done, dead-lettered or retried, nothing else', async () => {
    // Prepare
    const records = [record('succeed'), record('deny'), record('throttle'), record('reject-policy'), record('succeed')];

    // Act
    const response = await invokeWorker(createHandler(sqsDeadLetterQueue()), records);

    // Assess
    const done = records.filter((candidate) => JSON.parse(candidate.body).detail.action === 'succeed').length;
    expect(done + sentToDeadLetterQueue().length + response.batchItemFailures.length).toBe(records.length);
    expect(sentToDeadLetterQueue().map((input) => input.MessageAttributes?.[DeadLetterAttribute.SourceMessageId]?.StringValue)).toEqual([records[1]?.messageId, records[3]?.messageId]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[2]?.messageId }]);
  });

  it.each([
    ['a plain URL (AWS: one variable per function)', DLQ_URL],
    ['a JSON object of URLs by automation (the local stack: one process)', JSON.stringify({ 'tag-policy': DLQ_URL, prepopulate: `${DLQ_URL}-other` })],
  ])('reads the DLQ from DOCKMASTER_DEAD_LETTER_QUEUE_URL as %s when no queue is given', async (_, value) => {
    // Prepare
    vi.stubEnv('DOCKMASTER_DEAD_LETTER_QUEUE_URL', value);
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    const handler = createSqsBatchHandler({
      automation: AutomationId.TagPolicy,
      schema: TestEventSchema,
      idempotencyKey: 'id',
      processRecord,
      deps: {
        loadConfig: async () => config,
        persistenceStore: db.persistenceStore(),
        logger: new Logger({ serviceName: 'tag-policy', logLevel: 'SILENT' }),
      },
    });

    // Act
    const response = await invokeWorker(handler, [record('deny')]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sentToDeadLetterQueue().map((input) => input.QueueUrl)).toEqual([DLQ_URL]);
  });
});
