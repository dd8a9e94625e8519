import { readFileSync } from 'node:fs';
import { renderRepositoryTemplate } from '@dockmaster/core/cache-repository';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand, GetRepositoryPolicyCommand, ServerException, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { createEcrRepositories } from '../../src/adapters/ecr-repositories.js';
import { createDockmasterBus } from '../../src/adapters/dockmaster-bus.js';
import { createCacheRepositoryHandler } from '../../src/handlers/cache-repository.js';
import { type AlertOnce, createDynamoDbAlertOnce } from '../../src/adapters/alert-once.js';
import { invokeWorker, sqsRecordFactory } from '../factories.js';
import { emittedEvents } from '../put-events.js';
import { useWorkerDynamoDB } from '../local-dynamodb.js';
import { silentTelemetry } from '../telemetry.js';
import {
  createRepositoryApiCall,
  createRepositoryServiceEvent,
  pullThroughCacheAction,
  reconcileScheduledEvent,
  replicationSuccess,
} from './cache-events.js';
import { recordingPausedQueue } from '../kept-while-paused.js';
import { FakeEcrRepositories, writesOf } from './fake-ecr-repositories.js';
import { exampleConfigText } from '@dockmaster/core/testing';

const ecrMock = mockClient(ECRClient);
const eventBridgeMock = mockClient(EventBridgeClient);
const ssmMock = mockClient(SSMClient);
const db = useWorkerDynamoDB('dockmaster-idempotency');
let fake: FakeEcrRepositories;

/** The documented example config: the k8s/ prefix grants two accounts and one organisation, scans, expires untagged after 14 days. */
const EXAMPLE_YAML = exampleConfigText();

/** The example with its k8s rule changed. */
const exampleWithK8sRule = (change: (rule: Record<string, unknown>) => void): string => {
  const raw = parse(EXAMPLE_YAML) as { pullThroughCache: Record<string, unknown>[] };
  const rule = raw.pullThroughCache.find((candidate) => candidate['prefix'] === 'k8s');
  if (!rule) throw new Error('the example config has no k8s rule');
  change(rule);
  return stringify(raw);
};

const FOREIGN_STATEMENT = '{"Sid":"CiPush","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":["ecr:PutImage"]}';
const OLD_DOCKMASTER_STATEMENT =
  '{"Sid":"DockmasterPullAccounts","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"ecr:BatchGetImage"}';
const policyWith = (...statements: string[]): string => `{"Version":"2012-10-17","Statement":[${statements.join(',')}]}`;

const createHandler = (yaml = EXAMPLE_YAML, pausedRecords = recordingPausedQueue(), alertOnce?: AlertOnce) => {
  const { logger, metrics } = silentTelemetry('cache-repository');
  const regions: string[] = [];
  const handler = createCacheRepositoryHandler({
    loadConfig: async () => parseConfigOrThrow(yaml, 'test'),
    persistenceStore: db.persistenceStore(),
    logger,
    metrics,
    repositoriesIn: (region) => {
      regions.push(region);
      return createEcrRepositories({ client: new ECRClient({ region }) });
    },
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'eu-central-1' }) }),
    pausedRecords,
    ...(alertOnce === undefined ? {} : { alertOnce }),
  });
  return { handler, logger, metrics, regions };
};


const emitted = () => emittedEvents(eventBridgeMock);

/** The repository as the fake ECR holds it now. */
const stored = (repository: string) => {
  const repositoryState = fake.repositories.get(repository);
  if (!repositoryState) throw new Error(`no repository ${repository} in the fake ECR`);
  return repositoryState;
};

const storedPolicy = (repository: string) => JSON.parse(fake.repositories.get(repository)?.policyText ?? 'null') as { Statement: { Sid: string }[] } | null;

beforeEach(() => {
  ecrMock.reset();
  eventBridgeMock.reset();
  ssmMock.reset();
  fake = new FakeEcrRepositories({ pageSize: 2 });
  fake.install(ecrMock);
  eventBridgeMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('cache-repository worker, one repository per event', () => {
  it('configures a repository created by an API call (CloudTrail sample) in the event\'s Region and emits Configured', async () => {
    // Prepare
    const { handler, regions } = createHandler();
    fake.add('k8s/pause');
    const event = createRepositoryApiCall('k8s/pause');

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(regions).toEqual(['us-east-2']);
    expect(writesOf(ecrMock)).toEqual([
      ['SetRepositoryPolicyCommand', 'k8s/pause'],
      ['PutImageScanningConfigurationCommand', 'k8s/pause'],
      ['PutLifecyclePolicyCommand', 'k8s/pause'],
    ]);
    const policyText = fake.repositories.get('k8s/pause')?.policyText ?? '';
    expect(storedPolicy('k8s/pause')?.Statement.map((statement) => statement.Sid)).toEqual(['DockmasterPullAccounts', 'DockmasterPullOrganizations']);
    expect(policyText).toContain('arn:aws:iam::444455556666:root');
    expect(policyText).toContain('o-a1b2c3d4e5');
    expect(fake.repositories.get('k8s/pause')).toMatchObject({ scanOnPush: true, tagMutability: 'MUTABLE' });
    expect(JSON.parse(fake.repositories.get('k8s/pause')?.lifecyclePolicyText ?? '{}')).toMatchObject({
      rules: [{ selection: { tagStatus: 'untagged', countNumber: 14 }, action: { type: 'expire' } }],
    });
    const events = emitted();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      Source: 'dockmaster',
      DetailType: 'Cache Repository Configured',
      EventBusName: 'dockmaster-test',
      Resources: ['arn:aws:ecr:us-east-2:123456789012:repository/k8s/pause'],
      Detail: {
        repository: 'k8s/pause',
        prefix: 'k8s',
        upstream: 'registry.k8s.io',
        region: 'us-east-2',
        trigger: 'create-repository',
        eventId: event.id,
        diff: { policy: { action: 'set', added: ['DockmasterPullAccounts', 'DockmasterPullOrganizations'], before: [] } },
      },
    });
  });

  it("names the granted accounts in the partition of the event's Region (China)", async () => {
    // Prepare: the same CloudTrail sample, from a registry in cn-north-1
    const { handler, regions } = createHandler();
    fake.add('k8s/pause');
    const sample = createRepositoryApiCall('k8s/pause');
    const event = { ...sample, region: 'cn-north-1', detail: { ...sample.detail, awsRegion: 'cn-north-1' } };

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(regions).toEqual(['cn-north-1']);
    const policyText = fake.repositories.get('k8s/pause')?.policyText ?? '';
    expect(policyText).toContain('"arn:aws-cn:iam::444455556666:root"');
    expect(policyText).not.toContain('arn:aws:');
    expect(emitted()[0]?.Resources).toEqual(['arn:aws-cn:ecr:cn-north-1:123456789012:repository/k8s/pause']);
  });

  it('configures a repository ECR created for the cache (service event), then does nothing for the pull that follows', async () => {
    // Prepare
    const { handler } = createHandler();
    fake.add('k8s/coredns/coredns');
    await invokeWorker(handler, [sqsRecordFactory(createRepositoryServiceEvent('k8s/coredns/coredns'))]);
    const configuredEvents = emitted().map((entry) => entry.DetailType);
    ecrMock.resetHistory();
    eventBridgeMock.resetHistory();

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(pullThroughCacheAction('k8s/coredns/coredns'))]);

    // Assess
    expect(configuredEvents).toEqual(['Cache Repository Configured']);
    expect(response.batchItemFailures).toEqual([]);
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)).toHaveLength(1);
    expect(writesOf(ecrMock)).toEqual([]);
    expect(emitted()).toEqual([]);
  });

  it('repairs a drifted policy from a pull-through cache action: keeps the foreign statement, replaces the old Dockmaster one', async () => {
    // Prepare
    const { handler } = createHandler();
    fake.add('k8s/pause', { policyText: policyWith(FOREIGN_STATEMENT, OLD_DOCKMASTER_STATEMENT), scanOnPush: true });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(pullThroughCacheAction('k8s/pause'))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(writesOf(ecrMock)).toEqual([
      ['SetRepositoryPolicyCommand', 'k8s/pause'],
      ['PutLifecyclePolicyCommand', 'k8s/pause'],
    ]);
    const policyText = fake.repositories.get('k8s/pause')?.policyText ?? '';
    expect(policyText).toContain(FOREIGN_STATEMENT);
    expect(policyText).not.toContain('999999999999');
    const [event] = emitted();
    expect(event?.DetailType).toBe('Cache Repository Drift Repaired');
    expect(event?.Detail).toMatchObject({
      repository: 'k8s/pause',
      region: 'us-west-2',
      trigger: 'pull-through-cache',
      diff: {
        policy: {
          action: 'set',
          added: ['DockmasterPullOrganizations'],
          replaced: ['DockmasterPullAccounts'],
          removed: [],
          before: [JSON.parse(OLD_DOCKMASTER_STATEMENT)],
          after: [expect.objectContaining({ Sid: 'DockmasterPullAccounts' }), expect.objectContaining({ Sid: 'DockmasterPullOrganizations' })],
        },
        settings: { before: { lifecyclePolicy: null }, after: { lifecyclePolicy: expect.objectContaining({ rules: expect.any(Array) }) } },
      },
    });
  });

  it('writes only the setting that drifted and reports its before and after', async () => {
    // Prepare
    const { handler } = createHandler();
    fake.add('k8s/pause');
    await invokeWorker(handler, [sqsRecordFactory(createRepositoryApiCall('k8s/pause'))]);
    stored('k8s/pause').tagMutability = 'IMMUTABLE';
    ecrMock.resetHistory();
    eventBridgeMock.resetHistory();

    // Act
    await invokeWorker(handler, [sqsRecordFactory(replicationSuccess('k8s/pause'))]);

    // Assess
    expect(writesOf(ecrMock)).toEqual([['PutImageTagMutabilityCommand', 'k8s/pause']]);
    expect(fake.repositories.get('k8s/pause')?.tagMutability).toBe('MUTABLE');
    const [event] = emitted();
    expect(event?.DetailType).toBe('Cache Repository Drift Repaired');
    expect(event?.Detail['diff']).toEqual({
      settings: {
        changes: [{ setting: 'tagMutability', before: 'IMMUTABLE', after: 'MUTABLE' }],
        before: { tagMutability: 'IMMUTABLE' },
        after: { tagMutability: 'MUTABLE' },
      },
    });
  });

  it('repairs drifted exclusion filters of a *_WITH_EXCLUSION rule with one write of the value and its filters', async () => {
    // Prepare
    const yaml = EXAMPLE_YAML.replace('      tagMutability: MUTABLE\n', '      tagMutability: MUTABLE_WITH_EXCLUSION\n      tagMutabilityExclusionFilters: ["v*"]\n');
    expect(yaml).toContain('MUTABLE_WITH_EXCLUSION');
    const { handler } = createHandler(yaml);
    fake.add('k8s/pause');
    await invokeWorker(handler, [sqsRecordFactory(createRepositoryApiCall('k8s/pause'))]);
    const configured = { ...stored('k8s/pause') };
    stored('k8s/pause').tagMutabilityExclusionFilters = [{ filterType: 'WILDCARD', filter: '*' }];
    ecrMock.resetHistory();
    eventBridgeMock.resetHistory();

    // Act
    await invokeWorker(handler, [sqsRecordFactory(replicationSuccess('k8s/pause'))]);

    // Assess
    expect(configured).toMatchObject({ tagMutability: 'MUTABLE_WITH_EXCLUSION', tagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'v*' }] });
    expect(writesOf(ecrMock)).toEqual([['PutImageTagMutabilityCommand', 'k8s/pause']]);
    expect(stored('k8s/pause').tagMutabilityExclusionFilters).toEqual([{ filterType: 'WILDCARD', filter: 'v*' }]);
    expect(emitted()[0]?.Detail['diff']).toEqual({
      settings: {
        changes: [{ setting: 'tagMutabilityExclusionFilters', before: ['*'], after: ['v*'] }],
        before: { tagMutabilityExclusionFilters: ['*'] },
        after: { tagMutabilityExclusionFilters: ['v*'] },
      },
    });
  });

  it('re-reads the settings after the policy write: one another writer fixed meanwhile is not written, one it changed is reported as it found it', async () => {
    // Prepare: policy, tag mutability and lifecycle all drifted; while the policy is written, another writer
    // fixes the tag mutability and puts its own lifecycle policy.
    const { handler } = createHandler();
    const otherLifecycle = '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}';
    fake.add('k8s/pause', { policyText: policyWith(FOREIGN_STATEMENT, OLD_DOCKMASTER_STATEMENT), scanOnPush: true, tagMutability: 'IMMUTABLE' });
    ecrMock.on(SetRepositoryPolicyCommand).callsFake((input: { repositoryName: string; policyText: string }) => {
      Object.assign(stored(input.repositoryName), { policyText: input.policyText, tagMutability: 'MUTABLE', lifecyclePolicyText: otherLifecycle });
      return { repositoryName: input.repositoryName, policyText: input.policyText };
    });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(pullThroughCacheAction('k8s/pause'))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(writesOf(ecrMock)).toEqual([
      ['SetRepositoryPolicyCommand', 'k8s/pause'],
      ['PutLifecyclePolicyCommand', 'k8s/pause'],
    ]);
    const [event] = emitted();
    expect((event?.Detail['diff'] as { settings: unknown }).settings).toEqual({
      changes: [{ setting: 'lifecyclePolicy', before: JSON.parse(otherLifecycle), after: expect.objectContaining({ rules: expect.any(Array) }) }],
      before: { lifecyclePolicy: JSON.parse(otherLifecycle) },
      after: { lifecyclePolicy: expect.objectContaining({ rules: expect.any(Array) }) },
    });
  });

  it('uses the destination Region of a replication event', async () => {
    // Prepare
    const { handler, regions } = createHandler();
    fake.add('k8s/pause');

    // Act
    await invokeWorker(handler, [sqsRecordFactory(replicationSuccess('k8s/pause'))]);

    // Assess
    expect(regions).toEqual(['us-east-1']);
    expect(emitted()[0]?.Detail).toMatchObject({ region: 'us-east-1', trigger: 'replication' });
  });

  it('writes nothing at all when the merged policy would exceed 10,240 characters, and fails the record naming the repository', async () => {
    // Prepare
    const { handler, logger } = createHandler();
    const error = vi.spyOn(logger, 'error');
    const roles = Array.from({ length: 210 }, (_, index) => `"arn:aws:iam::111122223333:role/builder-${String(index).padStart(4, '0')}"`);
    const bigForeign = `{"Sid":"Builders","Effect":"Allow","Principal":{"AWS":[${roles.join(',')}]},"Action":"ecr:BatchGetImage"}`;
    fake.add('k8s/pause', { policyText: policyWith(bigForeign), scanOnPush: false, tagMutability: 'IMMUTABLE' });
    const record = sqsRecordFactory(createRepositoryApiCall('k8s/pause'));
    // A second, unrelated record: a batch where every record fails is thrown whole, not reported per record.
    const unrelated = sqsRecordFactory(createRepositoryApiCall('prod/api'));

    // Act
    const response = await invokeWorker(handler, [record, unrelated]);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(writesOf(ecrMock)).toEqual([]);
    expect(emitted()).toEqual([]);
    const logged = error.mock.calls.map((call) => call[1]).find((argument) => argument instanceof Error) as Error & { code?: string };
    expect(logged.code).toBe('POLICY_TOO_LARGE');
    expect(logged.message).toContain('"k8s/pause"');
  });

  it('ignores (and logs) a repository under no cache prefix without calling ECR', async () => {
    // Prepare
    const { handler, logger } = createHandler();
    const info = vi.spyOn(logger, 'info');

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(createRepositoryApiCall('k8sfoo/pause'))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(ecrMock.calls()).toEqual([]);
    expect(emitted()).toEqual([]);
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/^ignored k8sfoo\/pause: it is under no pull-through cache prefix .*k8s\//), expect.anything());
  });

  it('deletes a policy that held only Dockmaster statements once the rule grants nobody', async () => {
    // Prepare
    const { handler } = createHandler(exampleWithK8sRule((rule) => delete rule['repositoryPolicy']));
    fake.add('k8s/pause', { policyText: policyWith(OLD_DOCKMASTER_STATEMENT), scanOnPush: true });

    // Act
    await invokeWorker(handler, [sqsRecordFactory(pullThroughCacheAction('k8s/pause'))]);

    // Assess
    expect(writesOf(ecrMock)).toEqual([
      ['DeleteRepositoryPolicyCommand', 'k8s/pause'],
      ['PutLifecyclePolicyCommand', 'k8s/pause'],
    ]);
    expect(fake.repositories.get('k8s/pause')?.policyText).toBeUndefined();
    expect(emitted()[0]).toMatchObject({
      DetailType: 'Cache Repository Drift Repaired',
      Detail: { diff: { policy: { action: 'delete', removed: ['DockmasterPullAccounts'], after: [] } } },
    });
  });

  it('handles a redelivered event once (idempotency on event id and repository)', async () => {
    // Prepare
    const { handler } = createHandler();
    fake.add('k8s/pause');
    const event = createRepositoryApiCall('k8s/pause');
    await invokeWorker(handler, [sqsRecordFactory(event)]);
    ecrMock.resetHistory();
    eventBridgeMock.resetHistory();
    stored('k8s/pause').scanOnPush = false;

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(ecrMock.calls()).toEqual([]);
    expect(emitted()).toEqual([]);
  });
});

describe('cache-repository worker, reconcile sweep', () => {
  const seedRegistry = () => {
    fake.add('k8s/pause');
    fake.add('k8sfoo/pause');
    fake.add('k8s/broken');
    fake.add('prod/api');
    fake.add('k8s/metrics-server/metrics-server');
    fake.add('k8s/coredns/coredns');
    // A repository some other process cannot read: ECR answers with a server error for it alone.
    ecrMock.on(GetRepositoryPolicyCommand, { repositoryName: 'k8s/broken' }).rejects(new ServerException({ message: 'internal error', $metadata: {} }));
  };

  it('lists every page, repairs each repository under a prefix, survives one failure and reports the counts', async () => {
    // Prepare
    const { handler, logger, metrics, regions } = createHandler();
    seedRegistry();
    await invokeWorker(handler, [sqsRecordFactory(createRepositoryApiCall('k8s/coredns/coredns'))]);
    ecrMock.resetHistory();
    eventBridgeMock.resetHistory();
    regions.length = 0;
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(reconcileScheduledEvent())]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(new Set(regions)).toEqual(new Set(['eu-central-1']));
    expect(fake.listingTokens).toEqual([undefined, '2', '4']);
    const written = new Set(writesOf(ecrMock).map(([, repository]) => repository));
    expect([...written].sort()).toEqual(['k8s/metrics-server/metrics-server', 'k8s/pause']);
    expect(emitted().map((entry) => [entry.DetailType, entry.Detail['repository'], entry.Detail['trigger']])).toEqual(
      expect.arrayContaining([
        ['Cache Repository Configured', 'k8s/pause', 'reconcile'],
        ['Cache Repository Configured', 'k8s/metrics-server/metrics-server', 'reconcile'],
      ]),
    );
    expect(emitted()).toHaveLength(2);
    const counts = Object.fromEntries(addMetric.mock.calls.map(([name, , value]) => [name, value]));
    expect(counts).toMatchObject({ RepositoriesChecked: 3, RepositoriesRepaired: 2, RepositoriesFailed: 1 });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('4 repositories, 2 repaired, 1 failed'),
      expect.objectContaining({ failures: [expect.objectContaining({ repository: 'k8s/broken', message: 'internal error' })] }),
    );
  });

  it('runs a sweep for every {"kind":"reconcile"} request, even identical ones', async () => {
    // Prepare
    const { handler } = createHandler();
    fake.add('k8s/pause');
    const body = JSON.stringify({ kind: 'reconcile' });

    // Act
    const first = await invokeWorker(handler, [sqsRecordFactory(undefined, { body })]);
    stored('k8s/pause').scanOnPush = false;
    const second = await invokeWorker(handler, [sqsRecordFactory(undefined, { body })]);

    // Assess
    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(emitted().map((entry) => entry.DetailType)).toEqual(['Cache Repository Configured', 'Cache Repository Drift Repaired']);
    expect(fake.repositories.get('k8s/pause')?.scanOnPush).toBe(true);
  });

  it('checks a configured repository with two reads and no lease; re-formatted documents and foreign statements are not drift', async () => {
    // Prepare: three repositories configured by a first sweep, then two changed in ways that mean the same, one drifted.
    const leases: string[] = [];
    const { logger, metrics } = silentTelemetry('cache-repository');
    const handler = createCacheRepositoryHandler({
      loadConfig: async () => parseConfigOrThrow(EXAMPLE_YAML, 'test'),
      persistenceStore: db.persistenceStore(),
      logger,
      metrics,
      repositoriesIn: (region) => createEcrRepositories({ client: new ECRClient({ region }) }),
      bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: 'eu-central-1' }) }),
      repositoryLock: {
        withLease: async (key, work) => {
          leases.push(key);
          return work();
        },
      },
    });
    for (const name of ['k8s/a', 'k8s/b', 'k8s/c']) fake.add(name);
    await invokeWorker(handler, [sqsRecordFactory(undefined, { body: JSON.stringify({ kind: 'reconcile' }) })]);
    const reformatted = JSON.parse(stored('k8s/a').policyText ?? '') as { Version: string; Statement: unknown[] };
    stored('k8s/a').policyText = JSON.stringify({ Statement: [...reformatted.Statement].reverse(), Version: reformatted.Version }, null, 4);
    const lifecycle = JSON.parse(stored('k8s/a').lifecyclePolicyText ?? '') as { rules: unknown[] };
    stored('k8s/a').lifecyclePolicyText = JSON.stringify({ rules: [...lifecycle.rules].reverse() }, null, 2);
    const withForeign = JSON.parse(stored('k8s/b').policyText ?? '') as { Version: string; Statement: unknown[] };
    stored('k8s/b').policyText = JSON.stringify({ ...withForeign, Statement: [...withForeign.Statement, JSON.parse(FOREIGN_STATEMENT)] });
    stored('k8s/c').scanOnPush = false;
    ecrMock.resetHistory();
    leases.length = 0;

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(undefined, { body: JSON.stringify({ kind: 'reconcile' }) })]);

    // Assess: only the drifted one is leased, re-read and written; the others cost one policy and one lifecycle read each.
    expect(response.batchItemFailures).toEqual([]);
    expect(writesOf(ecrMock)).toEqual([['PutImageScanningConfigurationCommand', 'k8s/c']]);
    expect(leases).toEqual(['cache-repository#eu-central-1#k8s/c']);
    const readsOf = (type: abstract new (...args: never[]) => unknown) =>
      ecrMock
        .calls()
        .map((call) => call.args[0])
        .filter((command) => command instanceof type)
        .map((command) => {
          const input = command.input as { repositoryName?: string; repositoryNames?: string[] };
          return input.repositoryName ?? input.repositoryNames?.join(',') ?? 'listing';
        });
    expect(readsOf(DescribeRepositoriesCommand)).toEqual(['listing', 'listing', 'k8s/c']);
    expect(readsOf(GetRepositoryPolicyCommand).sort()).toEqual(['k8s/a', 'k8s/b', 'k8s/c', 'k8s/c']);
    expect(readsOf(GetLifecyclePolicyCommand).sort()).toEqual(['k8s/a', 'k8s/b', 'k8s/c', 'k8s/c']);
  });

  it('does nothing while the automation is paused: keeps the event for later, skips the periodic sweep', async () => {
    // Prepare
    const pausedRecords = recordingPausedQueue();
    const { handler } = createHandler(`${EXAMPLE_YAML}\nautomations:\n  cache-repository: { paused: true }\n`, pausedRecords);
    fake.add('k8s/pause');
    const created = sqsRecordFactory(createRepositoryApiCall('k8s/pause'));

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(reconcileScheduledEvent()), created]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(pausedRecords.kept).toEqual([created.body]);
    expect(ecrMock.calls()).toEqual([]);
    expect(emitted()).toEqual([]);
  });
});

describe('cache-repository worker, repositoryTemplates prefixes (templates act only at creation)', () => {
  /** docs/examples/repository-templates.yaml: apps/ is created on push (IMMUTABLE, scan, keep 50, one account and one org). */
  const TEMPLATES_YAML = readFileSync(new URL('../../../../docs/examples/repository-templates.yaml', import.meta.url), 'utf8');

  it('repairs drift under a template prefix in the sweep, with the copy-mode pull actions and the full lifecycle', async () => {
    // Prepare
    const { handler } = createHandler(TEMPLATES_YAML);
    // As the template created it, then changed by hand: tags made mutable, scanning off, policy gone.
    fake.add('apps/team/api', { scanOnPush: false, tagMutability: 'MUTABLE' });
    fake.add('appsx/api');
    fake.add('mirror/eu/base', { scanOnPush: true, tagMutability: 'MUTABLE' });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(reconcileScheduledEvent())]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(writesOf(ecrMock)).toEqual([
      ['SetRepositoryPolicyCommand', 'apps/team/api'],
      ['PutImageScanningConfigurationCommand', 'apps/team/api'],
      ['PutImageTagMutabilityCommand', 'apps/team/api'],
      ['PutLifecyclePolicyCommand', 'apps/team/api'],
    ]);
    expect(stored('apps/team/api')).toMatchObject({ scanOnPush: true, tagMutability: 'IMMUTABLE' });
    const policy = storedPolicy('apps/team/api') as { Statement: { Sid: string; Action: string[] }[] };
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual(['DockmasterPullAccounts', 'DockmasterPullOrganizations']);
    expect(policy.Statement[0]?.Action).not.toContain('ecr:BatchImportUpstreamImage');
    const lifecycle = JSON.parse(stored('apps/team/api').lifecyclePolicyText ?? '{}') as { rules: { selection: { tagStatus: string; countNumber: number } }[] };
    expect(lifecycle.rules.map((rule) => [rule.selection.tagStatus, rule.selection.countNumber])).toEqual([
      ['untagged', 7],
      ['tagged', 50],
    ]);
    expect(fake.repositories.get('appsx/api')).toMatchObject({ scanOnPush: false });
    const [event] = emitted();
    expect(emitted()).toHaveLength(1);
    expect(event?.Detail).toMatchObject({ repository: 'apps/team/api', prefix: 'apps', trigger: 'reconcile' });
    expect(event?.Detail).not.toHaveProperty('upstream');
  });

  it('configures a repository ECR created on push as soon as its CloudTrail event arrives: only what the template cannot set', async () => {
    // Prepare: as the template made it: its policy and lifecycle, IMMUTABLE, no scan on push (not a template field).
    const { handler } = createHandler(TEMPLATES_YAML);
    const apps = parseConfigOrThrow(TEMPLATES_YAML, 'test').repositoryTemplates[0];
    if (apps === undefined) throw new Error('the example has no template');
    const template = renderRepositoryTemplate(apps, 'aws');
    fake.add('apps/new-service', { scanOnPush: false, tagMutability: 'IMMUTABLE', policyText: template.repositoryPolicy, lifecyclePolicyText: template.lifecyclePolicy });

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(createRepositoryServiceEvent('apps/new-service'))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(writesOf(ecrMock)).toEqual([['PutImageScanningConfigurationCommand', 'apps/new-service']]);
    expect(stored('apps/new-service')).toMatchObject({ scanOnPush: true, tagMutability: 'IMMUTABLE' });
    expect(emitted().map((entry) => [entry.DetailType, entry.Detail['trigger']])).toEqual([['Cache Repository Configured', 'create-repository']]);
  });
});

describe('cache-repository worker, cache health (failed pull-through cache syncs)', () => {
  /** ECR's sample as a failed sync under k8s/ (ECR-GUESS: the failure values are not documented). */
  const failedSync = (repository: string, tag: string, failureCode: string) => {
    const event = pullThroughCacheAction(repository);
    return { ...event, detail: { ...event.detail, 'ecr-repository-prefix': 'k8s', 'image-tag': tag, 'sync-status': 'FAILED', 'failure-code': failureCode, 'failure-reason': 'The authentication to the upstream registry failed' } };
  };
  const syncFailures = () => emitted().filter((entry) => entry.DetailType === 'Cache Sync Failed');

  it('tells the owning team once per failure kind and image, across separate events, and still configures the repository', async () => {
    // Prepare
    const alertOnce = createDynamoDbAlertOnce({ tableName: await db.dynamo.createIdempotencyTable(`state-${Date.now()}`), client: db.dynamo.client });
    const { handler } = createHandler(EXAMPLE_YAML, recordingPausedQueue(), alertOnce);
    fake.add('k8s/coredns/coredns');
    const events = [
      failedSync('k8s/coredns/coredns', 'v1.11.1', 'UPSTREAM_AUTHENTICATION_FAILED'),
      failedSync('k8s/coredns/coredns', 'v1.11.1', 'UPSTREAM_AUTHENTICATION_FAILED'),
      failedSync('k8s/coredns/coredns', 'v1.11.1', 'UPSTREAM_RATE_LIMITED'),
    ];

    // Act
    const first = await invokeWorker(handler, [sqsRecordFactory(events[0])]);
    const second = await invokeWorker(handler, [sqsRecordFactory(events[1]), sqsRecordFactory(events[2])]);

    // Assess
    expect([...first.batchItemFailures, ...second.batchItemFailures]).toEqual([]);
    const alerts = syncFailures();
    expect(alerts.map((alert) => [alert.Detail['kind'], alert.Detail['team'], alert.Detail['tag']])).toEqual([
      ['upstream-authentication', 'platform-dns', 'v1.11.1'],
      ['upstream-rate-limited', 'platform-dns', 'v1.11.1'],
    ]);
    const message = alerts[0]?.Detail['message'] as { subject: string; body: string };
    expect(message.subject).toBe('[CACHE SYNC FAILED] k8s/coredns/coredns:v1.11.1 — upstream authentication failed');
    expect(message.body).toContain('UPSTREAM_AUTHENTICATION_FAILED');
    expect(message.body).toContain('ecr-pullthroughcache/');
    expect(stored('k8s/coredns/coredns').policyText).toBeDefined();
  });

  it('says nothing about a successful sync (the unchanged AWS status)', async () => {
    // Prepare
    const alertOnce = createDynamoDbAlertOnce({ tableName: await db.dynamo.createIdempotencyTable(`state-${Date.now()}-ok`), client: db.dynamo.client });
    const { handler } = createHandler(EXAMPLE_YAML, recordingPausedQueue(), alertOnce);
    fake.add('k8s/pause');

    // Act
    const response = await invokeWorker(handler, [sqsRecordFactory(pullThroughCacheAction('k8s/pause'))]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(syncFailures()).toEqual([]);
  });

  it('sends the alert on the retry when emitting it failed the first time (the claim is given back)', async () => {
    // Prepare
    const alertOnce = createDynamoDbAlertOnce({ tableName: await db.dynamo.createIdempotencyTable(`state-${Date.now()}-retry`), client: db.dynamo.client });
    const { handler } = createHandler(EXAMPLE_YAML, recordingPausedQueue(), alertOnce);
    fake.add('k8s/pause');
    const event = failedSync('k8s/pause', '3.9', 'UPSTREAM_UNREACHABLE');
    eventBridgeMock.on(PutEventsCommand).rejectsOnce(new Error('EventBridge is unavailable')).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    // Act: the first delivery fails, SQS delivers the same message again.
    const first = await invokeWorker(handler, [sqsRecordFactory(event)]);
    const retry = await invokeWorker(handler, [sqsRecordFactory(event)]);

    // Assess
    expect(first.batchItemFailures).toHaveLength(1);
    expect(retry.batchItemFailures).toEqual([]);
    expect(eventBridgeMock.commandCalls(PutEventsCommand).filter((call) => call.args[0].input.Entries?.[0]?.DetailType === 'Cache Sync Failed')).toHaveLength(2);
  });
});
