import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { RenderedMessageSchema } from '@dockmaster/core/notifications';
import { RegistryClient } from '@dockmaster/registry';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbWarmStateStore } from '../../src/adapters/state-store.js';
import { createDynamoDbAlertOnce } from '../../src/adapters/alert-once.js';
import { createDockmasterBus } from '../../src/adapters/dockmaster-bus.js';
import { createPrepopulateHandler } from '../../src/handlers/prepopulate.js';
import { createLimiter } from '../../src/runtime/concurrency.js';
import { createSqsWarmQueue } from '../../src/adapters/warm-queue.js';
import { invokeWorker, sqsRecordFactory } from '../factories.js';
import { recordingPausedQueue } from '../kept-while-paused.js';
import { useWorkerDynamoDB } from '../local-dynamodb.js';
import { silentTelemetry } from '../telemetry.js';
import { type CachePair, recordingFetch, singleImage, startCachePair, twoPlatformIndex } from './cache-pair.js';
import { emittedTypesAndDetails, sentWarmBodies } from './mocked-calls.js';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/111122223333/dockmaster-prepopulate';
const PAUSE_TAGS = ['3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8'];

const CONFIG_YAML = `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
pullThroughCache:
  - prefix: k8s
    upstream: registry.k8s.io
    prepopulate:
      schedule: "rate(6 hours)"
      images:
        - image: pause
          tags: [${PAUSE_TAGS.map((tag) => `"${tag}"`).join(', ')}, "3.99"]
        - image: metrics-server/metrics-server
          tags: { semver: ">=0.7.0 <0.8.0" }
          platforms: [linux/arm64]
        - image: coredns/coredns
          tags: ["v1.11.1"]
          owner: platform-dns
teams:
  platform-dns: { email: ["dns-oncall@acme.example"] }
`;

const sqsMock = mockClient(SQSClient);
const ssmMock = mockClient(SSMClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const db = useWorkerDynamoDB('dockmaster-idempotency');
let stateTable: string;
let pair: CachePair;
let recorder: ReturnType<typeof recordingFetch>;

const seedUpstream = async () => {
  for (const tag of PAUSE_TAGS) await pair.seed('k8s/pause', tag, singleImage('pause', tag));
  for (const version of ['0.6.9', '0.7.0', '0.7.1', '0.7.2', '0.8.0']) {
    await pair.seed('k8s/metrics-server/metrics-server', `v${version}`, twoPlatformIndex('metrics-server', version));
  }
  await pair.seed('k8s/coredns/coredns', 'v1.11.1', singleImage('coredns', 'v1.11.1'));
};

/** `freshYaml`: what a read past the cache returns (the batch handler asks for one when a batch announces a change). */
const createHandler = (yaml = CONFIG_YAML, freshYaml = yaml, pausedRecords = recordingPausedQueue()) =>
  createPrepopulateHandler({
    loadConfig: async ({ fresh = false } = {}) => parseConfigOrThrow(fresh ? freshYaml : yaml, 'test'),
    pausedRecords,
    persistenceStore: db.persistenceStore(),
    clock: () => new Date('2026-06-01T12:00:00Z'),
    ...silentTelemetry('prepopulate'),
    cacheRegistry: async () => new RegistryClient({ baseUrl: pair.proxy.url, fetch: recorder.fetch }),
    // The proxy's own tag link stands in for ECR DescribeImages: it shows what the cache holds.
    imagesIn: () => ({
      describeImageByTag: async (repository, tag) => {
        const digest = pair.cachedTagDigest(repository, tag);
        return digest === undefined ? undefined : { digest };
      },
    }),
    stateStore: createDynamoDbWarmStateStore({ tableName: stateTable, client: db.dynamo.client }),
    warmQueue: createSqsWarmQueue({ queueUrl: QUEUE_URL, client: new SQSClient({ region: 'eu-central-1' }) }),
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'eu-central-1' }) }),
    blobLimiterFor: () => createLimiter(4),
  });

type Handler = ReturnType<typeof createHandler>;


const configChangedEvent = () => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Parameter Store Change',
  source: 'aws.ssm',
  account: '111122223333',
  time: '2026-06-01T12:00:00Z',
  region: 'eu-central-1',
  resources: ['arn:aws:ssm:eu-central-1:111122223333:parameter/dockmaster/config'],
  detail: { operation: 'Update', name: '/dockmaster/config', type: 'String', description: '' },
});

const scheduledEvent = (prefix: string) => ({
  ...configChangedEvent(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  resources: ['arn:aws:events:eu-central-1:111122223333:rule/dockmaster-prepopulate-schedule-k8s'],
  detail: { automation: 'prepopulate', trigger: 'schedule', prefix },
});

/** Bodies of every warm message the fan-out sent since the last reset. */
const sentBodies = (): string[] => sentWarmBodies(sqsMock);

const emitted = () => emittedTypesAndDetails(eventBridgeMock);

/** One whole run: the trigger, then every warm message it fanned out, delivered one per invocation like the queue does. */
const runOnce = async (handler: Handler, trigger: unknown) => {
  sqsMock.resetHistory();
  const planned = await invokeWorker(handler, [sqsRecordFactory(trigger)]);
  const bodies = sentBodies();
  const warmed = [];
  for (const body of bodies) warmed.push(await invokeWorker(handler, [sqsRecordFactory(undefined, { body })]));
  return { planned, bodies, failures: [planned, ...warmed].flatMap((response) => response.batchItemFailures) };
};

beforeEach(async () => {
  sqsMock.reset();
  ssmMock.reset();
  eventBridgeMock.reset();
  sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((entry) => ({ Id: entry.Id })), Failed: [] }));
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  // A fresh state table per test: each test starts with nothing warmed.
  stateTable = await db.dynamo.createIdempotencyTable(`dockmaster-state-${randomUUID()}`);
  pair = await startCachePair('prepopulate-handler');
  recorder = recordingFetch();
  await seedUpstream();
});

afterEach(async () => {
  await pair.stop();
});

describe('prepopulate worker', () => {
  it('fans a config change out into one warm message per image and tag, in batches of ten, and reports a missing exact tag', async () => {
    // Prepare
    const handler = createHandler();
    const event = configChangedEvent();

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const batches = sqsMock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches.map((batch) => [batch.QueueUrl, batch.Entries?.length])).toEqual([
      [QUEUE_URL, 10],
      [QUEUE_URL, 2],
    ]);
    const messages = sentBodies().map((body) => JSON.parse(body) as Record<string, unknown>);
    expect(messages.map((message) => `${message['repository']}:${message['tag']}`)).toEqual([
      ...PAUSE_TAGS.map((tag) => `k8s/pause:${tag}`),
      'k8s/metrics-server/metrics-server:v0.7.0',
      'k8s/metrics-server/metrics-server:v0.7.1',
      'k8s/metrics-server/metrics-server:v0.7.2',
      'k8s/coredns/coredns:v1.11.1',
    ]);
    expect(messages[8]).toEqual({
      kind: 'warm',
      id: `${event.id}:k8s/metrics-server/metrics-server:v0.7.0`,
      repository: 'k8s/metrics-server/metrics-server',
      tag: 'v0.7.0',
      platforms: ['linux/arm64'],
    });
    expect(messages[11]).toMatchObject({ repository: 'k8s/coredns/coredns', owner: 'platform-dns' });
    expect(emitted()).toEqual([
      {
        type: 'Image Prepopulation Failed',
        detail: expect.objectContaining({ repository: 'k8s/pause', tag: '3.99', reason: 'missing-upstream', upstream: 'registry.k8s.io' }),
      },
    ]);
    expect(recorder.blobGets()).toEqual([]);
  });

  it('warms every image and tag, reports each one, and remembers its digest', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    const run = await runOnce(handler, configChangedEvent());

    // Assess
    expect(run.failures).toEqual([]);
    const events = emitted().filter((event) => event.type === 'Image Prepopulated');
    expect(events).toHaveLength(12);
    const coredns = events.find((event) => event.detail['repository'] === 'k8s/coredns/coredns');
    const corednsDigest = pair.cachedTagDigest('k8s/coredns/coredns', 'v1.11.1');
    expect(coredns?.detail).toMatchObject({ tag: 'v1.11.1', digest: corednsDigest, blobs: 3, reason: 'new', team: 'platform-dns' });
    expect(coredns?.detail['bytes']).toBeGreaterThan(3000);
    const metricsServer = events.find((event) => event.detail['tag'] === 'v0.7.1');
    expect(metricsServer?.detail).toMatchObject({ platforms: ['linux/arm64/v8'], mediaType: 'application/vnd.oci.image.index.v1+json' });
    const item = await db.dynamo.client.send(new GetItemCommand({ TableName: stateTable, Key: { id: { S: 'prepopulate#k8s/coredns/coredns:v1.11.1' } } }));
    expect(item.Item).toMatchObject({ digest: { S: corednsDigest }, warmedAt: { S: '2026-06-01T12:00:00.000Z' } });
  });

  it('costs one HEAD per tag and no blob transfer when nothing changed upstream', async () => {
    // Prepare
    const handler = createHandler();
    await runOnce(handler, configChangedEvent());
    eventBridgeMock.resetHistory();
    recorder.reset();

    // Act
    const run = await runOnce(handler, scheduledEvent('k8s'));

    // Assess
    expect(run.failures).toEqual([]);
    expect(run.bodies).toHaveLength(12);
    expect(recorder.blobGets()).toEqual([]);
    const manifestRequests = recorder.manifestRequests();
    expect(manifestRequests.every((request) => request.method === 'HEAD')).toBe(true);
    expect(manifestRequests).toHaveLength(12);
    expect(emitted().map((event) => event.type)).toEqual(['Image Prepopulation Failed']);
  });

  it('warms a tag again once upstream moved it, and only that tag', async () => {
    // Prepare
    const handler = createHandler();
    await runOnce(handler, configChangedEvent());
    const moved = singleImage('pause', '3.4-rebuilt');
    const movedDigest = await pair.seed('k8s/pause', '3.4', moved);
    eventBridgeMock.resetHistory();
    recorder.reset();

    // Act
    const run = await runOnce(handler, { kind: 'prepopulate' });

    // Assess
    expect(run.failures).toEqual([]);
    const warmed = emitted().filter((event) => event.type === 'Image Prepopulated');
    expect(warmed.map((event) => event.detail)).toEqual([expect.objectContaining({ repository: 'k8s/pause', tag: '3.4', digest: movedDigest, reason: 'moved' })]);
    expect(recorder.blobGets()).toHaveLength(moved.blobs.size);
  });

  it('reports a missing tag with the message its owner receives: subject, body, and the problem in full', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    await invokeWorker(handler, [sqsRecordFactory(configChangedEvent())]);

    // Assess
    const [failed] = emitted();
    const message = RenderedMessageSchema.parse(failed?.detail['message']);
    expect(message.subject).toBe('[PREPOPULATE FAILED] k8s/pause:3.99 — not found upstream');
    expect(failed?.detail['problem']).toMatch(/registry\.k8s\.io\/pause has no tag 3\.99\. Fix or remove it in the prepopulate allow-list/);
    expect(message.body).toContain(String(failed?.detail['problem']));
  });

  it.each([
    ['its allow-list\'s defaultOwner', CONFIG_YAML.replace('      schedule:', '      defaultOwner: platform\n      schedule:')],
    ['the team of the scanAlerts route that covers it', `${CONFIG_YAML}scanAlerts:\n  routes:\n    - { repositories: ["k8s/**"], team: platform }\n`],
  ])('sends the failure of an image without owner to %s', async (_owner, yaml) => {
    // Prepare
    const handler = createHandler(yaml.replace('teams:\n', 'teams:\n  platform: { email: ["platform-oncall@acme.example"] }\n'));

    // Act
    await invokeWorker(handler, [sqsRecordFactory(configChangedEvent())]);

    // Assess
    const messages = sentBodies().map((body) => JSON.parse(body) as Record<string, unknown>);
    expect(emitted()).toEqual([
      { type: 'Image Prepopulation Failed', detail: expect.objectContaining({ repository: 'k8s/pause', tag: '3.99', reason: 'missing-upstream', team: 'platform' }) },
    ]);
    expect(messages.map((message) => `${message['repository']}:${message['owner']}`)).toEqual([
      ...PAUSE_TAGS.map(() => 'k8s/pause:platform'),
      ...['v0.7.0', 'v0.7.1', 'v0.7.2'].map(() => 'k8s/metrics-server/metrics-server:platform'),
      'k8s/coredns/coredns:platform-dns',
    ]);
  });

  it('plans a config change with the configuration read fresh, not the cached copy', async () => {
    // Prepare: the cached copy still lists nine pause tags; the stored configuration now lists one
    const changed = CONFIG_YAML.replace(/tags: \["3\.1".*\]/, 'tags: ["3.1"]');
    const handler = createHandler(CONFIG_YAML, changed);

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(configChangedEvent())]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(changed).not.toBe(CONFIG_YAML);
    expect(sentBodies().map((body) => (JSON.parse(body) as { repository: string; tag: string })).map((message) => `${message.repository}:${message.tag}`)).toEqual([
      'k8s/pause:3.1',
      'k8s/metrics-server/metrics-server:v0.7.0',
      'k8s/metrics-server/metrics-server:v0.7.1',
      'k8s/metrics-server/metrics-server:v0.7.2',
      'k8s/coredns/coredns:v1.11.1',
    ]);
    expect(emitted()).toEqual([]);
  });

  it('plans nothing when the configuration change pauses the automation', async () => {
    // Prepare
    const pausedRecords = recordingPausedQueue();
    const handler = createHandler(CONFIG_YAML, `${CONFIG_YAML}automations:\n  prepopulate: { paused: true }\n`, pausedRecords);

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(configChangedEvent())]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(pausedRecords.kept).toHaveLength(1);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toEqual([]);
    expect(recorder.requests).toEqual([]);
  });

  it('takes no action while the automation is paused', async () => {
    // Prepare
    const handler = createHandler(`${CONFIG_YAML}automations:\n  prepopulate: { paused: true }\n`);

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(configChangedEvent())]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toEqual([]);
    expect(recorder.requests).toEqual([]);
  });
});

describe('prepopulate worker, cache health', () => {
  /** ECR refusing a pull through the cache because its login to the upstream failed (ECR-GUESS: wording from aws/containers-roadmap#2354). */
  const upstreamRefusal = async (): Promise<Response> =>
    new Response(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'The authentication to the upstream registry failed. Check the credentials in the secret' }] }), {
      status: 401,
      headers: { 'Content-Type': 'application/json' },
    });

  it('reports an upstream authentication failure once per image as Cache Sync Failed, not once per run', async () => {
    // Prepare
    const alertOnce = createDynamoDbAlertOnce({ tableName: stateTable, client: db.dynamo.client });
    const handler = createPrepopulateHandler({
      loadConfig: async () => parseConfigOrThrow(CONFIG_YAML, 'test'),
      pausedRecords: recordingPausedQueue(),
      persistenceStore: db.persistenceStore(),
      clock: () => new Date('2026-06-01T12:00:00Z'),
      ...silentTelemetry('prepopulate'),
      cacheRegistry: async () => new RegistryClient({ baseUrl: pair.proxy.url, fetch: upstreamRefusal }),
      imagesIn: () => ({ describeImageByTag: async () => undefined }),
      stateStore: createDynamoDbWarmStateStore({ tableName: stateTable, client: db.dynamo.client }),
      warmQueue: createSqsWarmQueue({ queueUrl: QUEUE_URL, client: new SQSClient({ region: 'eu-central-1' }) }),
      bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'eu-central-1' }) }),
      blobLimiterFor: () => createLimiter(4),
      alertOnce,
    });
    const warm = (run: string) => JSON.stringify({ kind: 'warm', id: `${run}:k8s/coredns/coredns:v1.11.1`, repository: 'k8s/coredns/coredns', tag: 'v1.11.1' });

    // Act: two scheduled runs warm the same tag.
    const first = await invokeWorker(handler, [sqsRecordFactory(undefined, { body: warm('run-1') })]);
    const second = await invokeWorker(handler, [sqsRecordFactory(undefined, { body: warm('run-2') })]);

    // Assess
    expect([...first.batchItemFailures, ...second.batchItemFailures]).toEqual([]);
    const events = emitted();
    expect(events.map((event) => event.type)).toEqual(['Cache Sync Failed']);
    expect(events[0]?.detail).toMatchObject({ kind: 'upstream-authentication', team: 'platform-dns', seenBy: 'prepopulate', failureCode: 'UNAUTHORIZED', repository: 'k8s/coredns/coredns', tag: 'v1.11.1' });
    const message = RenderedMessageSchema.parse(events[0]?.detail['message']);
    expect(message.body).toContain('The authentication to the upstream registry failed');
    expect(message.body).toContain('has no credentialArn');
  });
});
