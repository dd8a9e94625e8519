import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DockmasterConfigSchema } from '@dockmaster/core/config';
import { RenderedMessageSchema } from '@dockmaster/core/notifications';
import { ReplicationFailedDetailSchema } from '@dockmaster/core/replication';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDockmasterBus } from '../src/adapters/dockmaster-bus.js';
import { createReplicationHandler } from '../src/handlers/replication.js';
import { awsSampleEvent, invokeWorker, sqsRecordFactory } from './factories.js';
import { putEventsEntries } from './put-events.js';
import { useWorkerDynamoDB } from './local-dynamodb.js';
import { silentTelemetry } from './telemetry.js';

const eventBridgeMock = mockClient(EventBridgeClient);
const db = useWorkerDynamoDB('dockmaster-replication-idempotency');

const config = DockmasterConfigSchema.parse({
  version: 1,
  registry: { accountId: '123456789012', region: 'us-east-1' },
  scanAlerts: { routes: [{ repositories: ['prod/**'], team: 'payments' }] },
  teams: { payments: { email: ['oncall@acme.example'] } },
});

const createHandler = () =>
  createReplicationHandler({
    loadConfig: async () => config,
    persistenceStore: db.persistenceStore(),
    ...silentTelemetry('replication'),
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'us-east-1' }) }),
  });


const reported = () =>
  putEventsEntries(eventBridgeMock).map((entry) => ({ type: entry.DetailType, detail: ReplicationFailedDetailSchema.parse(JSON.parse(entry.Detail ?? '')) }));

const failedSample = (overrides: Record<string, unknown> = {}) => {
  const sample = awsSampleEvent('ecr-replication-action-failed.json') as { detail: Record<string, unknown> };
  return { ...sample, id: randomUUID(), detail: { ...sample.detail, ...overrides } };
};

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
    for (let delivery = 0; delivery < 3; delivery += 1) responses.push(await invokeWorker(handler, [sqsRecordFactory(event)]));

    // Assess
    expect(responses.every((response) => response.batchItemFailures.length === 0)).toBe(true);
    expect(reported()).toHaveLength(1);
    expect(reported()[0]).toMatchObject({ type: 'Replication Failed', detail: { team: null } });
  });

  it('puts the message the owning team reads on the report', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    await invokeWorker(handler, [sqsRecordFactory(failedSample({ 'repository-name': 'prod/payments/api' }))]);

    // Assess
    const [entry] = putEventsEntries(eventBridgeMock);
    const message = RenderedMessageSchema.parse((JSON.parse(entry?.Detail ?? '{}') as { message?: unknown }).message);
    expect(message.subject).toBe('[REPLICATION FAILED] prod/payments/api:latest — us-west-2 -> us-east-1');
    expect(message.body).toContain('Team:         payments');
    expect(message.body).toContain('aws ecr describe-image-replication-status --repository-name prod/payments/api');
  });

  it('routes a failure to the owning team', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    await invokeWorker(handler, [sqsRecordFactory(failedSample({ 'repository-name': 'prod/payments/api' }))]);

    // Assess
    expect(reported().map((entry) => entry.detail.team)).toEqual(['payments']);
  });

  it('fails only the malformed record of a batch', async () => {
    // Prepare
    const handler = createHandler();
    const bad = sqsRecordFactory({ ...failedSample(), detail: { result: 'FAILED' } }, { messageId: 'bad' });

    // Act
    const response = await invokeWorker(handler, [bad, sqsRecordFactory(failedSample())]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(reported()).toHaveLength(1);
  });
});
