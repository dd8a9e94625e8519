import { randomUUID } from 'node:crypto';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ConfigInvalidError, type DockmasterConfig, DockmasterConfigSchema } from '@dockmaster/core/config';
import { AutomationId } from '@dockmaster/core/constants';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { ConfigLoadOptions } from '../src/adapters/config-source.js';
import { createPausedRecordQueue, PAUSED_RECORD_DELAY_SECONDS } from '../src/adapters/paused-records.js';
import { createSqsBatchHandler } from '../src/handlers/wiring/sqs-worker.js';
import { invokeWorker, lambdaContextFactory, sqsEventFactory, sqsRecordFactory } from './factories.js';
import { recordingPausedQueue } from './kept-while-paused.js';
import { useWorkerDynamoDB } from './local-dynamodb.js';
import { silentTelemetry } from './telemetry.js';

/*
 * The batch handler's edges: which configuration a batch is processed with (issue 11), a batch that runs out of
 * time (its unprocessed records are failed one by one, not the invocation), and a paused automation (its events
 * are kept in the queue, not dropped).
 */

const sqsMock = mockClient(SQSClient);
const db = useWorkerDynamoDB('dockmaster-batch-handler-idempotency');
const REGISTRY = { accountId: '111122223333', region: 'eu-central-1' };
const QUEUE_ARN = 'arn:aws:sqs:eu-central-1:111122223333:dockmaster-prod-tag-policy';
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/111122223333/dockmaster-prod-tag-policy';

const configNamed = (policy: string, paused = false): DockmasterConfig =>
  DockmasterConfigSchema.parse({
    version: 1,
    registry: REGISTRY,
    tagPolicies: [{ name: policy, repositories: ['prod/**'] }],
    ...(paused ? { automations: { 'tag-policy': { paused: true } } } : {}),
  });
const brokenConfig = () => new ConfigInvalidError([{ file: 'dynamodb:config/config', line: 1, column: 1, path: 'version', message: 'unsupported configuration version 2' }]);

/** A store whose cached copy and fresh read can differ, as the cached copy may be up to a minute old. */
const configStore = (cached: () => DockmasterConfig, fresh: () => DockmasterConfig) => {
  const reads: ConfigLoadOptions[] = [];
  return {
    reads,
    loadConfig: async (options: ConfigLoadOptions = {}) => {
      reads.push(options);
      return options.fresh === true ? fresh() : cached();
    },
  };
};

const TestEventSchema = z.looseObject({ id: z.string(), 'detail-type': z.string(), source: z.string() });
type TestEvent = z.output<typeof TestEventSchema>;

const createHandler = (options: {
  loadConfig: (options?: ConfigLoadOptions) => Promise<DockmasterConfig>;
  processRecord?: (event: TestEvent, context: { config: DockmasterConfig }) => Promise<{ outcome: string } & Record<string, unknown>>;
  pausedRecords?: ReturnType<typeof recordingPausedQueue> | ReturnType<typeof createPausedRecordQueue>;
  deadlineReserveMs?: number;
}) =>
  createSqsBatchHandler({
    automation: AutomationId.TagPolicy,
    schema: TestEventSchema,
    idempotencyKey: 'id',
    processRecord: options.processRecord ?? (async (_event, context) => ({ outcome: 'done', policy: context.config.tagPolicies[0]?.name })),
    deps: {
      loadConfig: options.loadConfig,
      persistenceStore: db.persistenceStore(),
      ...silentTelemetry('tag-policy'),
      deadLetterQueue: undefined,
      pausedRecords: options.pausedRecords ?? recordingPausedQueue(),
      ...(options.deadlineReserveMs === undefined ? {} : { deadlineReserveMs: options.deadlineReserveMs }),
    },
  });

const testEvent = (detailType = 'Test Event', source = 'test') => ({ id: randomUUID(), 'detail-type': detailType, source, detail: {} });
/** A `Parameter Store Change` of the configuration parameter (the shape the SSM documentation shows). */
const configChange = () => ({
  ...testEvent('Parameter Store Change', 'aws.ssm'),
  resources: ['arn:aws:ssm:eu-central-1:111122223333:parameter/dockmaster/config'],
  detail: { operation: 'Update', name: '/dockmaster/config', type: 'String', description: '' },
});
const scheduled = () => testEvent('Scheduled Event', 'aws.events');
const withArn = (record: SQSRecord): SQSRecord => ({ ...record, eventSourceARN: QUEUE_ARN });

beforeEach(() => {
  sqsMock.reset();
});

describe('the configuration of a batch', () => {
  it('reads the configuration past the cache when the batch carries a Parameter Store Change', async () => {
    // Prepare: the cached copy is the broken configuration the change replaced
    const store = configStore(
      () => {
        throw brokenConfig();
      },
      () => configNamed('fixed'),
    );
    const handler = createHandler({ loadConfig: store.loadConfig });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(configChange())]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(store.reads).toEqual([{ fresh: true }]);
  });

  it('uses the cached configuration for a batch without a change', async () => {
    // Prepare
    const store = configStore(
      () => configNamed('cached'),
      () => configNamed('fresh'),
    );
    const seen: string[] = [];
    const handler = createHandler({
      loadConfig: store.loadConfig,
      processRecord: async (_event, context) => {
        seen.push(context.config.tagPolicies[0]?.name ?? '');
        return { outcome: 'done' };
      },
    });

    // Act
    await invokeWorker(handler, [sqsRecordFactory(testEvent())]);

    // Assess
    expect(store.reads).toEqual([{ fresh: false }]);
    expect(seen).toEqual(['cached']);
  });

  it('reads once more past the cache when the cached configuration is invalid, so a fix applies at once', async () => {
    // Prepare: a redrive right after the fix, while the cache still holds the broken copy
    const store = configStore(
      () => {
        throw brokenConfig();
      },
      () => configNamed('fixed'),
    );
    const handler = createHandler({ loadConfig: store.loadConfig });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(testEvent())]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(store.reads).toEqual([{ fresh: false }, { fresh: true }]);
  });

  it('fails the batch with the configuration error when the fresh read is invalid too, after one fresh read', async () => {
    // Prepare
    const store = configStore(
      () => {
        throw brokenConfig();
      },
      () => {
        throw brokenConfig();
      },
    );
    const handler = createHandler({ loadConfig: store.loadConfig });

    // Act
    const invoking = invokeWorker(handler, [sqsRecordFactory(testEvent())]);

    // Assess
    await expect(invoking).rejects.toBeInstanceOf(ConfigInvalidError);
    expect(store.reads).toEqual([{ fresh: false }, { fresh: true }]);
  });
});

describe('a batch that runs out of time', () => {
  it('reports the record still running and the ones not started as batch item failures, before the Lambda timeout', async () => {
    // Prepare: 400 ms left, 200 ms kept back; the second record hangs
    const startedAt = performance.now();
    const context = lambdaContextFactory({ getRemainingTimeInMillis: () => Math.max(0, 400 - (performance.now() - startedAt)) });
    const [done, hanging, notStarted] = [testEvent(), testEvent(), testEvent()];
    const started: string[] = [];
    const handler = createHandler({
      loadConfig: async () => configNamed('any'),
      deadlineReserveMs: 200,
      processRecord: async (event) => {
        started.push(event.id);
        if (event.id === hanging.id) await new Promise(() => undefined);
        return { outcome: 'done' };
      },
    });
    const records = [done, hanging, notStarted].map((event) => sqsRecordFactory(event));

    // Act
    const response = await handler(sqsEventFactory(records), context);
    const answeredWithMsLeft = context.getRemainingTimeInMillis();

    // Assess: answered with time to spare; only the hanging and the unstarted record are retried
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.messageId }, { itemIdentifier: records[2]?.messageId }]);
    expect(started).toEqual([done.id, hanging.id]);
    expect(answeredWithMsLeft).toBeGreaterThan(100);
  });
});

describe('a paused automation', () => {
  it('keeps its events in the queue: sent back to the queue they came from, delayed, with their attributes, and acknowledged', async () => {
    // Prepare
    sqsMock.on(GetQueueUrlCommand, { QueueName: 'dockmaster-prod-tag-policy', QueueOwnerAWSAccountId: '111122223333' }).resolves({ QueueUrl: QUEUE_URL });
    sqsMock.on(SendMessageCommand).resolves({ MessageId: randomUUID() });
    const processedIds: string[] = [];
    const handler = createHandler({
      loadConfig: async () => configNamed('any', true),
      pausedRecords: createPausedRecordQueue({ client: new SQSClient({ region: 'eu-central-1' }) }),
      processRecord: async (event) => {
        processedIds.push(event.id);
        return { outcome: 'done' };
      },
    });
    const record = { ...withArn(sqsRecordFactory(testEvent())), messageAttributes: { team: { dataType: 'String', stringValue: 'payments' } } };

    // Act
    const response = await invokeWorker(handler, [record, withArn(sqsRecordFactory(testEvent()))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(processedIds).toEqual([]);
    const sent = sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: record.body,
      DelaySeconds: PAUSED_RECORD_DELAY_SECONDS,
      MessageAttributes: { team: { DataType: 'String', StringValue: 'payments' } },
    });
    // One look-up of the queue URL per queue, not per record.
    expect(sqsMock.commandCalls(GetQueueUrlCommand)).toHaveLength(1);
  });

  it('reports an event it could not keep as a batch item failure, so SQS keeps it instead', async () => {
    // Prepare
    sqsMock.on(GetQueueUrlCommand).resolves({ QueueUrl: QUEUE_URL });
    sqsMock.on(SendMessageCommand).rejects(new Error('connect ECONNREFUSED'));
    const handler = createHandler({ loadConfig: async () => configNamed('any', true), pausedRecords: createPausedRecordQueue({ client: new SQSClient({ region: 'eu-central-1' }) }) });
    const record = withArn(sqsRecordFactory(testEvent()));

    // Act
    const response = await invokeWorker(handler, [record]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
  });

  it('skips its periodic sweeps (the first one after the resume does the same work) and processes events again once resumed', async () => {
    // Prepare
    let paused = true;
    const pausedRecords = recordingPausedQueue();
    const processedIds: string[] = [];
    const handler = createHandler({
      loadConfig: async () => configNamed('any', paused),
      pausedRecords,
      processRecord: async (event) => {
        processedIds.push(event.id);
        return { outcome: 'done' };
      },
    });
    const [sweep, push] = [scheduled(), testEvent()];

    // Act: paused, then the kept event comes back after the resume
    await invokeWorker(handler, [sqsRecordFactory(sweep), sqsRecordFactory(push)]);
    paused = false;
    await invokeWorker(
      handler,
      pausedRecords.kept.map((body) => sqsRecordFactory(undefined, { body })),
    );

    // Assess
    expect(pausedRecords.kept).toEqual([JSON.stringify(push)]);
    expect(processedIds).toEqual([push.id]);
  });
});
