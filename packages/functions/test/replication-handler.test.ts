import { randomUUID } from 'node:crypto';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DockmasterConfigSchema } from '@dockmaster/core/config';
import { RenderedMessageSchema } from '@dockmaster/core/notifications';
import { ReplicationFailedDetailSchema } from '@dockmaster/core/replication';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDockmasterBus } from '../src/dockmaster-bus.js';
import { createReplicationHandler } from '../src/handlers/replication.js';
import { awsSampleEvent, lambdaContextFactory, sqsEventFactory, sqsRecordFactory } from './factories.js';
import { type LocalDynamoDB, startLocalDynamoDB } from './local-dynamodb.js';

const eventBridgeMock = mockClient(EventBridgeClient);
let dynamo: LocalDynamoDB;
let tableName: string;

const config = DockmasterConfigSchema.parse({
  version: 1,
  registry: { accountId: '123456789012', region: 'us-east-1' },
  scanAlerts: { routes: [{ repositories: ['prod/**'], team: 'payments' }] },
  teams: { payments: { email: ['oncall@acme.example'] } },
});

const createHandler = () =>
  createReplicationHandler({
    loadConfig: async () => config,
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamo.client }),
    logger: new Logger({ serviceName: 'replication', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Dockmaster', serviceName: 'replication' }),
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'us-east-1' }) }),
  });

const invoke = (handler: ReturnType<typeof createHandler>, records: SQSRecord[]) => handler(sqsEventFactory(records), lambdaContextFactory());

const reported = () =>
  eventBridgeMock
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => ({ type: entry.DetailType, detail: ReplicationFailedDetailSchema.parse(JSON.parse(entry.Detail ?? '')) }));

const failedSample = (overrides: Record<string, unknown> = {}) => {
  const sample = awsSampleEvent('ecr-replication-action-failed.json') as { detail: Record<string, unknown> };
  return { ...sample, id: randomUUID(), detail: { ...sample.detail, ...overrides } };
};

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  dynamo = await startLocalDynamoDB();
  tableName = await dynamo.createIdempotencyTable('dockmaster-replication-idempotency');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await dynamo.close();
});

beforeEach(() => {
  eventBridgeMock.reset();
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

describe('replication worker', () => {
  it('reports the real failed-replication sample once, even when delivered three times', async () => {
    // Prepare
    const handler = createHandler();
    const event = awsSampleEvent('ecr-replication-action-failed.json');

    // Act
    const responses = [];
    for (let delivery = 0; delivery < 3; delivery += 1) responses.push(await invoke(handler, [sqsRecordFactory(event)]));

    // Assess
    expect(responses.every((response) => response.batchItemFailures.length === 0)).toBe(true);
    expect(reported()).toHaveLength(1);
    expect(reported()[0]).toMatchObject({ type: 'Replication Failed', detail: { team: null } });
  });

  it('puts the message the owning team reads on the report', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    await invoke(handler, [sqsRecordFactory(failedSample({ 'repository-name': 'prod/payments/api' }))]);

    // Assess
    const [entry] = eventBridgeMock.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    const message = RenderedMessageSchema.parse((JSON.parse(entry?.Detail ?? '{}') as { message?: unknown }).message);
    expect(message.subject).toBe('[REPLICATION FAILED] prod/payments/api:latest — us-west-2 -> us-east-1');
    expect(message.body).toContain('Team:         payments');
    expect(message.body).toContain('aws ecr describe-image-replication-status --repository-name prod/payments/api');
  });

  it('routes a failure to the owning team', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    await invoke(handler, [sqsRecordFactory(failedSample({ 'repository-name': 'prod/payments/api' }))]);

    // Assess
    expect(reported().map((entry) => entry.detail.team)).toEqual(['payments']);
  });

  it('fails only the malformed record of a batch', async () => {
    // Prepare
    const handler = createHandler();
    const bad = sqsRecordFactory({ ...failedSample(), detail: { result: 'FAILED' } }, { messageId: 'bad' });

    // Act
    const response = await invoke(handler, [bad, sqsRecordFactory(failedSample())]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(reported()).toHaveLength(1);
  });
});
