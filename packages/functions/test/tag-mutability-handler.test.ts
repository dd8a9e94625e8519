import { randomUUID } from 'node:crypto';
import {
  BatchDeleteImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageTagMutabilityCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDockmasterBus } from '../src/adapters/dockmaster-bus.js';
import { createEcrImages } from '../src/adapters/ecr-images.js';
import { createEcrTagMutability } from '../src/adapters/ecr-tag-mutability.js';
import { createDynamoDbTagDigestStore } from '../src/adapters/tag-digest-store.js';
import { createTagPolicyHandler } from '../src/handlers/tag-policy.js';
import { ecrPushEvent, invokeWorker, sqsRecordFactory } from './factories.js';
import { useWorkerDynamoDB } from './local-dynamodb.js';
import { silentTelemetry } from './telemetry.js';

/*
 * The tag-policy worker keeps a policy's tagImmutability in ECR (core/tag-policy/tag-immutability.ts): on a push
 * to a covered repository and in the sweep. ECR's repository settings are an in-memory map behind a mocked client.
 */

const region = 'eu-central-1';
const ecrMock = mockClient(ECRClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const db = useWorkerDynamoDB('dockmaster-idempotency');

const CONFIG_YAML = `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
tagPolicies:
  - name: releases
    repositories: ["prod/**"]
    tagImmutability: { default: immutable, except: ["dev-*", "latest"] }
  - name: too-fine-for-ecr
    repositories: ["team/**"]
    tagImmutability: { default: mutable, except: ["v[0-9]*"] }
  - name: strict
    repositories: ["strict/**"]
    mode: enforce
    tagImmutability: { default: mutable, except: ["v?"] }
  - name: cached
    repositories: ["k8s/**"]
    tagImmutability: { default: immutable }
pullThroughCache:
  - prefix: k8s
    upstream: registry.k8s.io
`;

const RELEASES: Setting = {
  imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
  imageTagMutabilityExclusionFilters: [
    { filterType: 'WILDCARD', filter: 'dev-*' },
    { filterType: 'WILDCARD', filter: 'latest' },
  ],
};

type Setting = { imageTagMutability: string; imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[] };
/** What ECR holds per repository. */
const repositories = new Map<string, Setting>();

const STATE_TABLE = 'dockmaster-state';
beforeAll(async () => {
  await db.dynamo.createIdempotencyTable(STATE_TABLE);
});

const createHandler = () => {
  const { logger, metrics } = silentTelemetry('tag-policy');
  const client = new ECRClient({ region });
  const handler = createTagPolicyHandler({
    loadConfig: async () => parseConfigOrThrow(CONFIG_YAML, 'test'),
    persistenceStore: db.persistenceStore(),
    clock: () => new Date('2026-06-01T12:00:00Z'),
    logger,
    metrics,
    images: createEcrImages({ client }),
    tagMutability: createEcrTagMutability({ client }),
    tagDigests: createDynamoDbTagDigestStore({ tableName: STATE_TABLE, client: db.dynamo.client }),
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region }) }),
  });
  return { handler, logger };
};

const writes = () => ecrMock.commandCalls(PutImageTagMutabilityCommand).map((call) => call.args[0].input);

beforeEach(() => {
  ecrMock.reset();
  eventBridgeMock.reset();
  repositories.clear();
  ecrMock.on(DescribeRepositoriesCommand).callsFake((input: { repositoryNames?: string[] }) => {
    const names = input.repositoryNames ?? [...repositories.keys()];
    return {
      repositories: names.map((name) => {
        const setting = repositories.get(name);
        if (setting === undefined) throw new RepositoryNotFoundException({ message: `The repository with name '${name}' does not exist`, $metadata: {} });
        return { repositoryName: name, ...setting };
      }),
    };
  });
  ecrMock.on(PutImageTagMutabilityCommand).callsFake((input: { repositoryName: string } & Setting) => {
    const { repositoryName, ...setting } = input;
    repositories.set(repositoryName, setting);
    return { repositoryName, ...setting };
  });
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] });
});

describe('tag-policy worker: tag immutability in ECR', () => {
  it("sets the policy's IMMUTABLE_WITH_EXCLUSION with its filters on the first push to a covered repository", async () => {
    // Prepare
    repositories.set('prod/api', { imageTagMutability: 'MUTABLE' });
    const { handler } = createHandler();

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(ecrPushEvent({ id: randomUUID(), repository: 'prod/api', tag: '1.0.0' }))]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(writes()).toEqual([{ repositoryName: 'prod/api', ...RELEASES }]);
    expect(repositories.get('prod/api')).toEqual(RELEASES);
  });

  it('writes nothing when ECR already holds the setting (filters in another order), for a policy ECR cannot express, or under a cache prefix', async () => {
    // Prepare
    repositories.set('prod/api', { ...RELEASES, imageTagMutabilityExclusionFilters: [...(RELEASES.imageTagMutabilityExclusionFilters ?? [])].reverse() });
    repositories.set('team/api', { imageTagMutability: 'MUTABLE' });
    repositories.set('k8s/pause', { imageTagMutability: 'MUTABLE' });
    const { handler } = createHandler();
    const pushes = [
      ecrPushEvent({ id: randomUUID(), repository: 'prod/api', tag: '1.0.1' }),
      ecrPushEvent({ id: randomUUID(), repository: 'team/api', tag: 'v1' }),
      ecrPushEvent({ id: randomUUID(), repository: 'k8s/pause', tag: '3.9' }),
    ];

    // Act
    const response = await invokeWorker(handler, pushes.map((push) => sqsRecordFactory(push)));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(writes()).toEqual([]);
  });

  it('repairs drift in the sweep: only repositories whose policy ECR can hold, each to its own policy', async () => {
    // Prepare: somebody made prod/api MUTABLE and changed prod/web's filters by hand.
    repositories.set('prod/api', { imageTagMutability: 'MUTABLE' });
    repositories.set('prod/web', { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: '*' }] });
    repositories.set('prod/ok', RELEASES);
    repositories.set('team/api', { imageTagMutability: 'MUTABLE' });
    repositories.set('k8s/pause', { imageTagMutability: 'MUTABLE' });
    repositories.set('other/api', { imageTagMutability: 'MUTABLE' });
    const { handler, logger } = createHandler();
    const info = vi.spyOn(logger, 'info');

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory({ kind: 'reconcile', id: randomUUID() })]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(writes().map((write) => write.repositoryName).sort()).toEqual(['prod/api', 'prod/web']);
    expect(Object.fromEntries(repositories)).toEqual({
      'prod/api': RELEASES,
      'prod/web': RELEASES,
      'prod/ok': RELEASES,
      'team/api': { imageTagMutability: 'MUTABLE' },
      'k8s/pause': { imageTagMutability: 'MUTABLE' },
      'other/api': { imageTagMutability: 'MUTABLE' },
    });
    expect(info).toHaveBeenCalledWith('tag mutability sweep: 3 repositories under a tag policy ECR enforces, 2 repaired, 0 failed', { checked: 3, repaired: 2, failed: 0 });
  });

  it('takes the scheduled sweep event of its reconcile rule', async () => {
    // Prepare
    repositories.set('prod/api', { imageTagMutability: 'IMMUTABLE' });
    const { handler } = createHandler();
    const scheduled = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '111122223333',
      time: '2026-06-01T12:00:00Z',
      region,
      resources: ['arn:aws:events:eu-central-1:111122223333:rule/dockmaster-tag-policy-reconcile'],
      detail: { automation: 'tag-policy', trigger: 'reconcile' },
    };

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(scheduled)]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(repositories.get('prod/api')).toEqual(RELEASES);
  });

  it('a failing write on a push is logged and left to the sweep; the push itself is handled', async () => {
    // Prepare
    repositories.set('prod/api', { imageTagMutability: 'MUTABLE' });
    ecrMock.on(PutImageTagMutabilityCommand).rejects(new Error('Rate exceeded'));
    const { handler, logger } = createHandler();
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(ecrPushEvent({ id: randomUUID(), repository: 'prod/api', tag: '1.0.0' }))]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(warn).toHaveBeenCalledWith('could not set the tag mutability of prod/api; the next sweep repairs it', { repository: 'prod/api', error: 'Rate exceeded' });
  });
});

const digest = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
/** What ECR's tags name now (`repository:tag` -> digest), for the re-read before a removal. */
const tagsInEcr = new Map<string, string>();
const violations = () =>
  eventBridgeMock
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => JSON.parse(entry.Detail ?? '{}') as { repository: string; tag: string; digest: string; action: string; violations: { rule: string; message: string }[] });
const deletes = () => ecrMock.commandCalls(BatchDeleteImageCommand).map((call) => call.args[0].input);

describe('tag-policy worker: tag immutability ECR cannot express, checked on the push event', () => {
  beforeEach(() => {
    tagsInEcr.clear();
    ecrMock.on(DescribeImagesCommand).callsFake((input: { repositoryName: string; imageIds: { imageTag: string }[] }) => {
      const tag = input.imageIds[0]?.imageTag ?? '';
      const current = tagsInEcr.get(`${input.repositoryName}:${tag}`);
      return { imageDetails: current === undefined ? [] : [{ repositoryName: input.repositoryName, imageDigest: current, imageTags: [tag] }] };
    });
    ecrMock.on(BatchDeleteImageCommand).callsFake((input: { imageIds: { imageTag: string }[] }) => ({ imageIds: input.imageIds, failures: [] }));
  });

  it('audit: reports a push that moved an immutable tag, naming the first digest; a mutable tag may move', async () => {
    // Prepare
    const { handler } = createHandler();
    const push = (tag: string, n: number) => sqsRecordFactory(ecrPushEvent({ id: randomUUID(), repository: 'team/audit', tag, digest: digest(n) }));
    await invokeWorker(handler, [push('v1', 1), push('dev', 1)]);

    // Act
    const response = await invokeWorker(handler, [push('v1', 2), push('dev', 2), push('v1', 1)]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(violations()).toEqual([
      expect.objectContaining({
        repository: 'team/audit',
        tag: 'v1',
        digest: digest(2),
        action: 'none',
        violations: [{ rule: 'immutable-tag', message: expect.stringContaining(`tag "v1" is immutable under tag policy "too-fine-for-ecr" and named ${digest(1)} when Dockmaster first saw it; this push moved it to ${digest(2)}`) }],
      }),
    ]);
    expect(deletes()).toEqual([]);
  });

  it('enforce: removes only the offending tag, by tag, after re-reading that it still names the offending digest', async () => {
    // Prepare
    const { handler } = createHandler();
    const push = (tag: string, n: number) => sqsRecordFactory(ecrPushEvent({ id: randomUUID(), repository: 'strict/enforce', tag, digest: digest(n) }));
    await invokeWorker(handler, [push('v1', 1), push('v2', 1)]);
    tagsInEcr.set('strict/enforce:v1', digest(2));
    // v2 was moved to 3 and then again to 4: the late event for 3 finds the tag naming another image.
    tagsInEcr.set('strict/enforce:v2', digest(4));

    // Act
    const response = await invokeWorker(handler, [push('v1', 2), push('v2', 3)]);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(deletes()).toEqual([{ repositoryName: 'strict/enforce', imageIds: [{ imageTag: 'v1' }] }]);
    expect(violations().map((violation) => [violation.tag, violation.digest, violation.action])).toEqual([['v1', digest(2), 'removed-tag']]);
  });
});
