import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { RenderedMessageSchema } from '@dockmaster/core/notifications';
import { pushImage, RegistryClient } from '@dockmaster/registry';
import { type RunningDistribution, startDistribution } from '@dockmaster/registry/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbWarmStateStore } from '../../src/adapters/state-store.js';
import { createDockmasterBus } from '../../src/adapters/dockmaster-bus.js';
import { createPrepopulateHandler } from '../../src/handlers/prepopulate.js';
import { createLimiter } from '../../src/runtime/concurrency.js';
import { UpstreamCredentialsError } from '../../src/adapters/upstream-endpoint.js';
import { createSqsWarmQueue } from '../../src/adapters/warm-queue.js';
import { invokeWorker, sqsRecordFactory } from '../factories.js';
import { useWorkerDynamoDB } from '../local-dynamodb.js';
import { silentTelemetry } from '../telemetry.js';
import { singleImage, twoPlatformIndex } from './cache-pair.js';
import { emittedTypesAndDetails, sentWarmBodies } from './mocked-calls.js';

/*
 * The prepopulate worker with a copy-mode entry: tags listed at the upstream (a real Distribution standing in
 * for mcr.microsoft.com), images copied into a second real Distribution standing in for ECR, repositories
 * created through the RepositoryCreator, state in dynalite. SQS and EventBridge are mocked.
 */

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/111122223333/dockmaster-prepopulate';
const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/mcr-AbCdEf';

const CONFIG_YAML = `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
pullThroughCache:
  - prefix: mcr
    upstream: mcr.microsoft.com
    mode: copy
    repositorySettings: { scanOnPush: true, tagMutability: MUTABLE }
    prepopulate:
      schedule: "rate(6 hours)"
      images:
        - image: dotnet/runtime
          tags: ["8.0", "9.9"]
        - image: powershell
          tags: { semver: ">=7.4.0 <7.5.0" }
          owner: platform
teams:
  platform: { email: ["platform-oncall@acme.example"] }
`;

const sqsMock = mockClient(SQSClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const db = useWorkerDynamoDB('dockmaster-idempotency');
let stateTable: string;
let upstream: RunningDistribution;
let registry: RunningDistribution;
let registryRequests: { method: string; path: string }[];
let upstreamRequests: { method: string; path: string }[];
let created: { repository: string; settings: unknown }[];

const recording = (baseUrl: string, into: () => { method: string; path: string }[]) =>
  new RegistryClient({ baseUrl, transport: 'node-http', onRequest: (method, url) => into().push({ method, path: url.pathname }) });

const createHandler = (overrides: Partial<Parameters<typeof createPrepopulateHandler>[0]> = {}) =>
  createPrepopulateHandler({
    loadConfig: async () => parseConfigOrThrow(CONFIG_YAML, 'test'),
    persistenceStore: db.persistenceStore(),
    clock: () => new Date('2026-06-01T12:00:00Z'),
    ...silentTelemetry('prepopulate'),
    cacheRegistry: async () => {
      throw new Error('a copy-mode run must not use the pull-through cache');
    },
    copyRegistry: async () => recording(registry.url, () => registryRequests),
    upstreamRegistry: async (entry) => {
      expect(entry).toMatchObject({ upstream: 'mcr.microsoft.com' });
      return recording(upstream.url, () => upstreamRequests);
    },
    repositoriesFor: () => ({
      ensureRepository: async (repository, settings) => {
        created.push({ repository, settings });
        return true;
      },
    }),
    imagesIn: () => ({
      describeImageByTag: async () => {
        throw new Error('a copy is confirmed by the registry itself, not DescribeImages');
      },
    }),
    stateStore: createDynamoDbWarmStateStore({ tableName: stateTable, client: db.dynamo.client }),
    warmQueue: createSqsWarmQueue({ queueUrl: QUEUE_URL, client: new SQSClient({ region: 'eu-central-1' }) }),
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'eu-central-1' }) }),
    blobLimiterFor: () => createLimiter(4),
    ...overrides,
  });

const request = (body: unknown) => sqsRecordFactory(undefined, { body: JSON.stringify(body) });

const sentBodies = (): string[] => sentWarmBodies(sqsMock);

const emitted = () => emittedTypesAndDetails(eventBridgeMock);

/** One whole run: the trigger, then every warm message it fanned out, one per invocation like the queue. */
const runOnce = async (handler: ReturnType<typeof createHandler>) => {
  sqsMock.resetHistory();
  eventBridgeMock.resetHistory();
  const planned = await invokeWorker(handler, [request({ kind: 'prepopulate', id: randomUUID() })]);
  const bodies = sentBodies();
  const warmed = [];
  for (const body of bodies) warmed.push(await invokeWorker(handler, [sqsRecordFactory(undefined, { body })]));
  return { bodies, failures: [planned, ...warmed].flatMap((response) => response.batchItemFailures) };
};

let runtime: ReturnType<typeof twoPlatformIndex>;

beforeEach(async () => {
  sqsMock.reset();
  eventBridgeMock.reset();
  sqsMock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((entry) => ({ Id: entry.Id })), Failed: [] }));
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  stateTable = await db.dynamo.createIdempotencyTable(`dockmaster-state-${randomUUID()}`);
  registryRequests = [];
  upstreamRequests = [];
  created = [];
  [upstream, registry] = await Promise.all([startDistribution({ name: 'copy-handler-upstream' }), startDistribution({ name: 'copy-handler-registry' })]);
  const seed = new RegistryClient({ baseUrl: upstream.url });
  runtime = twoPlatformIndex('runtime', '8.0');
  await pushImage(seed, 'dotnet/runtime', '8.0', runtime);
  for (const version of ['7.3.9', '7.4.0', '7.4.1', '7.5.0']) await pushImage(seed, 'powershell', version, singleImage('powershell', version));
});

afterEach(async () => {
  await Promise.all([upstream?.stop(), registry?.stop()]);
});

describe('prepopulate worker, copy mode', () => {
  it('lists the tags at the upstream, copies every image whole into mcr/..., and reports each copy', async () => {
    // Prepare
    const handler = createHandler();
    const check = new RegistryClient({ baseUrl: registry.url });

    // Act
    const run = await runOnce(handler);

    // Assess
    expect(run.failures).toEqual([]);
    expect(run.bodies.map((body) => JSON.parse(body) as { repository: string; tag: string }).map(({ repository, tag }) => `${repository}:${tag}`)).toEqual([
      'mcr/dotnet/runtime:8.0',
      'mcr/powershell:7.4.0',
      'mcr/powershell:7.4.1',
    ]);
    expect(upstreamRequests.filter((entry) => entry.path.endsWith('/tags/list')).map((entry) => entry.path)).toEqual(['/v2/dotnet/runtime/tags/list', '/v2/powershell/tags/list']);
    expect((await check.headManifest('mcr/dotnet/runtime', '8.0'))?.digest).toBe(runtime.manifestDigest);
    expect(await check.listTags('mcr/powershell')).toEqual(['7.4.0', '7.4.1']);
    expect(created.map((entry) => entry.repository)).toEqual(['mcr/dotnet/runtime', 'mcr/powershell', 'mcr/powershell']);
    expect(created[0]?.settings).toEqual({ scanOnPush: true, tagMutability: 'MUTABLE' });
    const copied = emitted().filter((event) => event.type === 'Image Prepopulated');
    expect(copied.map((event) => event.detail)).toEqual([
      expect.objectContaining({
        repository: 'mcr/dotnet/runtime',
        image: 'dotnet/runtime',
        tag: '8.0',
        mode: 'copy',
        digest: runtime.manifestDigest,
        platforms: ['linux/amd64', 'linux/arm64/v8'],
        blobs: runtime.blobs.size,
        reason: 'new',
      }),
      expect.objectContaining({ repository: 'mcr/powershell', tag: '7.4.0', mode: 'copy', team: 'platform', platforms: [] }),
      expect.objectContaining({ repository: 'mcr/powershell', tag: '7.4.1', mode: 'copy', team: 'platform' }),
    ]);
    const item = await db.dynamo.client.send(new GetItemCommand({ TableName: stateTable, Key: { id: { S: 'prepopulate#mcr/dotnet/runtime:8.0' } } }));
    expect(item.Item?.digest?.S).toBe(runtime.manifestDigest);
  });

  it('reports the exact tag the upstream lacks while planning, for the copy', async () => {
    // Prepare
    const handler = createHandler();

    // Act
    await runOnce(handler);

    // Assess
    const [failed, ...others] = emitted().filter((event) => event.type === 'Image Prepopulation Failed');
    expect(others).toEqual([]);
    expect(failed?.detail).toMatchObject({ repository: 'mcr/dotnet/runtime', tag: '9.9', reason: 'missing-upstream', mode: 'copy' });
    expect(RenderedMessageSchema.parse(failed?.detail['message']).body).toContain('could not copy mcr/dotnet/runtime:9.9 from mcr.microsoft.com into mcr/ (copy mode)');
  });

  it('writes nothing on a second run with nothing new: one upstream HEAD per tag, no registry request', async () => {
    // Prepare
    const handler = createHandler();
    await runOnce(handler);
    registryRequests.length = 0;
    upstreamRequests.length = 0;
    created.length = 0;

    // Act
    const again = await runOnce(handler);

    // Assess
    expect(again.failures).toEqual([]);
    expect(registryRequests).toEqual([]);
    expect(created).toEqual([]);
    expect(upstreamRequests.filter((entry) => entry.path.includes('/manifests/'))).toEqual([
      { method: 'HEAD', path: '/v2/dotnet/runtime/manifests/8.0' },
      { method: 'HEAD', path: '/v2/powershell/manifests/7.4.0' },
      { method: 'HEAD', path: '/v2/powershell/manifests/7.4.1' },
    ]);
    expect(emitted().filter((event) => event.type === 'Image Prepopulated')).toEqual([]);
  });

  it('reports unusable upstream credentials once per entry while planning, and per tag when warming by hand', async () => {
    // Prepare
    const handler = createHandler({
      upstreamRegistry: async () => {
        throw new UpstreamCredentialsError(SECRET, 'could not be read (AccessDeniedException: not authorized)');
      },
    });

    // Act
    const planned = await invokeWorker(handler, [request({ kind: 'prepopulate' })]);
    const byHand = await invokeWorker(handler, [request({ kind: 'warm', repository: 'mcr/dotnet/runtime', tag: '8.0' })]);

    // Assess
    expect([...planned.batchItemFailures, ...byHand.batchItemFailures]).toEqual([]);
    expect(sentBodies()).toEqual([]);
    expect(emitted().map((event) => [event.type, event.detail['tag'], event.detail['reason']])).toEqual([
      ['Image Prepopulation Failed', '8.0, 9.9', 'access-denied'],
      ['Image Prepopulation Failed', 'semver >=7.4.0 <7.5.0', 'access-denied'],
      ['Image Prepopulation Failed', '8.0', 'access-denied'],
    ]);
    expect(String(emitted()[2]?.detail['problem'])).toContain(`The upstream credentials in ${SECRET} could not be read`);
  });
});
