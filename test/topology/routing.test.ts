import { AutomationId } from '@dockmaster/core/constants';
import { compileEventPattern } from '@dockmaster/core/pattern';
import { buildTopology, routeEvent } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { createRepositoryEvent, exampleConfigWith, listSampleEventFiles, loadExampleConfig, readSample, sampleWith } from './helpers.js';

/*
 * Which automations each event reaches under docs/examples/dockmaster.example.yaml, as EventBridge would
 * route it through the generated rules (matched by core's EventBridge pattern engine).
 * Example config: tag policies on prod/** and vendor/**, cache prefix k8s (with prepopulate), scan alerts
 * at CRITICAL.
 */

const CONFIG_PARAMETER = '/dockmaster/test/config';
const topology = buildTopology(loadExampleConfig(), { configParameterName: CONFIG_PARAMETER });
const route = (event: unknown) => [...routeEvent(topology, event)].sort();

const { TagPolicy, CacheRepository, Prepopulate, ScanAlert, Replication } = AutomationId;

/** Every AWS sample as published; the samples' repositories are outside the example's globs and prefixes. */
const SAMPLE_ROUTES: Record<string, AutomationId[]> = {
  // A bare CloudTrail record is not an EventBridge event (no source / detail-type); the wrapped variants are below.
  'cloudtrail-record-ecr-createrepository.json': [],
  'ecr-image-action-archive.json': [],
  'ecr-image-action-delete.json': [],
  // my-repository-name is not covered by prod/** or vendor/**.
  'ecr-image-action-push-success.json': [],
  'ecr-image-action-restore.json': [],
  'ecr-image-scan-basic-complete.json': [ScanAlert],
  // docker-hub/alpine is not under the k8s prefix.
  'ecr-pull-through-cache-action.normalized.json': [],
  'ecr-referrer-action-restore.json': [],
  'ecr-replication-action-failed.json': [Replication],
  'ecr-replication-action-success.json': [],
  'ecr-scan-resource-change-enhanced.json': [],
  // MEDIUM findings are below the CRITICAL threshold.
  'inspector2-finding-ecr.inspector-docs.json': [],
  'inspector2-finding-ecr.json': [],
  // All counts are zero.
  'inspector2-scan-ecr-initial.inspector-docs.json': [],
  'inspector2-scan-ecr-initial.json': [ScanAlert],
  // Constructed (SOURCES.md): Inspector stopped scanning an ECR image; its alerted findings expire.
  'inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json': [ScanAlert],
};

describe('routing of the AWS sample events', () => {
  it('has an expected route for every sample in the fixtures folder', () => {
    // Prepare
    const files = listSampleEventFiles();

    // Act
    const unlisted = files.filter((file) => !(file in SAMPLE_ROUTES));

    // Assess
    expect(unlisted).toEqual([]);
    expect(files.length).toBe(Object.keys(SAMPLE_ROUTES).length);
  });

  it.each(Object.entries(SAMPLE_ROUTES))('%s reaches %j', (file, expected) => {
    // Prepare
    const event = readSample(file);

    // Act
    const reached = route(event);

    // Assess
    expect(reached).toEqual([...expected].sort());
  });
});

const parameterChange = (name: string, operation: string) => ({
  version: '0',
  id: '9a5e8f3d-1c2b-4d7e-8f90-123456789abc',
  'detail-type': 'Parameter Store Change',
  source: 'aws.ssm',
  account: '111122223333',
  time: '2026-03-01T10:00:00Z',
  region: 'eu-central-1',
  resources: [`arn:aws:ssm:eu-central-1:111122223333:parameter${name}`],
  detail: { name, type: 'String', operation },
});

/** The ECR-image resource of the Inspector sample with another type (and no ECR details). */
const inspectorFinding = (severity: string, status: string, resourceType = 'AWS_ECR_CONTAINER_IMAGE') => {
  const sample = readSample('inspector2-finding-ecr.json');
  const [resource] = (sample.detail as { resources: Record<string, unknown>[] }).resources;
  const changedResource =
    resourceType === 'AWS_ECR_CONTAINER_IMAGE'
      ? resource
      : { id: 'i-0123456789abcdef0', partition: 'aws', region: 'eu-central-1', type: resourceType, details: { awsEc2Instance: { type: 't3.micro' } } };
  return sampleWith('inspector2-finding-ecr.json', { detail: { severity, status, resources: [changedResource] } });
};

/**
 * ECR's Pull Through Cache Action sample as a failed sync: the schema registry's `failure-code` and
 * `failure-reason` fields (ECR-GUESS: their values and the failed `sync-status` value are not documented).
 */
const failedSync = (repository: string, syncStatus = 'FAILED') =>
  sampleWith('ecr-pull-through-cache-action.normalized.json', {
    detail: {
      'repository-name': repository,
      'ecr-repository-prefix': repository.split('/')[0],
      'sync-status': syncStatus,
      'failure-code': 'UPSTREAM_AUTHENTICATION_FAILED',
      'failure-reason': 'The authentication to the upstream registry failed',
    },
  });

/** The names of the event rules (of every automation) an event matches: one rule per event, or the queue gets it twice. */
const matchingRules = (event: unknown): string[] =>
  topology.automations.flatMap((automation) => automation.rules.flatMap((rule) => (rule.kind === 'event' && compileEventPattern(rule.eventPattern)(event) ? [rule.name] : [])));

const VARIANTS: [string, unknown, AutomationId[]][] = [
  // ECR Image Action
  ['push SUCCESS to prod/payments/api', sampleWith('ecr-image-action-push-success.json', { detail: { 'repository-name': 'prod/payments/api' } }), [TagPolicy]],
  ['push SUCCESS to vendor/nginx', sampleWith('ecr-image-action-push-success.json', { detail: { 'repository-name': 'vendor/nginx' } }), [TagPolicy]],
  ['push SUCCESS to "prod" itself (prod/** needs a segment)', sampleWith('ecr-image-action-push-success.json', { detail: { 'repository-name': 'prod' } }), []],
  ['push SUCCESS to production/api', sampleWith('ecr-image-action-push-success.json', { detail: { 'repository-name': 'production/api' } }), []],
  ['push FAILED to prod/api', sampleWith('ecr-image-action-push-success.json', { detail: { 'repository-name': 'prod/api', result: 'FAILED' } }), []],
  ['delete in prod/api', sampleWith('ecr-image-action-delete.json', { detail: { 'repository-name': 'prod/api' } }), []],
  ['storage-class change in prod/api', sampleWith('ecr-image-action-archive.json', { detail: { 'repository-name': 'prod/api' } }), []],
  ['archival of allow-listed k8s/pause', sampleWith('ecr-image-action-archive.json', { detail: { 'repository-name': 'k8s/pause' } }), [Prepopulate]],
  ['archival in k8s/kube-proxy (under the prefix, not allow-listed)', sampleWith('ecr-image-action-archive.json', { detail: { 'repository-name': 'k8s/kube-proxy' } }), []],
  ['failed archival of k8s/pause', sampleWith('ecr-image-action-archive.json', { detail: { 'repository-name': 'k8s/pause', result: 'FAILED' } }), []],
  ['restore of k8s/pause (target STANDARD)', sampleWith('ecr-image-action-restore.json', { detail: { 'repository-name': 'k8s/pause' } }), []],
  ['referrer action in prod/api', sampleWith('ecr-referrer-action-restore.json', { detail: { 'repository-name': 'prod/api', 'action-type': 'PUSH' } }), []],
  // CreateRepository through CloudTrail
  ['CreateRepository API call, k8s/pause', createRepositoryEvent('api', 'k8s/pause'), [CacheRepository]],
  ['CreateRepository API call, k8s/pause, with errorCode', createRepositoryEvent('api', 'k8s/pause', 'RepositoryAlreadyExistsException'), []],
  ['CreateRepository API call, k8sfoo/pause', createRepositoryEvent('api', 'k8sfoo/pause'), []],
  ['CreateRepository API call, k8s (the prefix itself)', createRepositoryEvent('api', 'k8s'), []],
  ['CreateRepository service event, k8s/coredns/coredns', createRepositoryEvent('service', 'k8s/coredns/coredns'), [CacheRepository]],
  ['CreateRepository service event, k8s/coredns/coredns, with errorCode', createRepositoryEvent('service', 'k8s/coredns/coredns', 'LimitExceededException'), []],
  ['CreateRepository service event, k8sfoo/pause', createRepositoryEvent('service', 'k8sfoo/pause'), []],
  // Pull-through cache and replication
  ['pull-through cache action, k8s/pause', sampleWith('ecr-pull-through-cache-action.normalized.json', { detail: { 'repository-name': 'k8s/pause', 'ecr-repository-prefix': 'k8s' } }), [CacheRepository]],
  ['pull-through cache action, k8sfoo/pause', sampleWith('ecr-pull-through-cache-action.normalized.json', { detail: { 'repository-name': 'k8sfoo/pause', 'ecr-repository-prefix': 'k8sfoo' } }), []],
  ['pull-through cache sync FAILED, k8s/pause (cache health)', failedSync('k8s/pause'), [CacheRepository]],
  ['pull-through cache sync FAILED, k8sfoo/pause', failedSync('k8sfoo/pause'), []],
  ['replication SUCCESS into k8s/pause', sampleWith('ecr-replication-action-success.json', { detail: { 'repository-name': 'k8s/pause' } }), [CacheRepository]],
  ['replication SUCCESS into k8sfoo/pause', sampleWith('ecr-replication-action-success.json', { detail: { 'repository-name': 'k8sfoo/pause' } }), []],
  ['replication FAILED into k8s/pause', sampleWith('ecr-replication-action-failed.json', { detail: { 'repository-name': 'k8s/pause' } }), [Replication]],
  // Basic scans
  ['basic scan with HIGH and MEDIUM only', sampleWith('ecr-image-scan-basic-complete.json', { detail: { 'finding-severity-counts': { HIGH: 4, MEDIUM: 9 } } }), []],
  ['basic scan with CRITICAL: 0', sampleWith('ecr-image-scan-basic-complete.json', { detail: { 'finding-severity-counts': { CRITICAL: 0, HIGH: 4 } } }), []],
  ['basic scan with no findings', sampleWith('ecr-image-scan-basic-complete.json', { detail: { 'finding-severity-counts': {} } }), []],
  ['basic scan FAILED with CRITICAL', sampleWith('ecr-image-scan-basic-complete.json', { detail: { 'scan-status': 'FAILED' } }), []],
  // Inspector
  ['Inspector CRITICAL finding on an ECR image, ACTIVE', inspectorFinding('CRITICAL', 'ACTIVE'), [ScanAlert]],
  ['Inspector CRITICAL finding on an ECR image, CLOSED', inspectorFinding('CRITICAL', 'CLOSED'), [ScanAlert]],
  ['Inspector CRITICAL finding on an ECR image, SUPPRESSED', inspectorFinding('CRITICAL', 'SUPPRESSED'), []],
  ['Inspector CRITICAL finding on an EC2 instance', inspectorFinding('CRITICAL', 'ACTIVE', 'AWS_EC2_INSTANCE'), []],
  ['Inspector HIGH finding on an ECR image', inspectorFinding('HIGH', 'ACTIVE'), []],
  ['Inspector initial scan with HIGH only', sampleWith('inspector2-scan-ecr-initial.json', { detail: { 'finding-severity-counts': { CRITICAL: 0, HIGH: 61, MEDIUM: 62, TOTAL: 158 } } }), []],
  // Inspector coverage: only an ECR image going INACTIVE
  [
    'Inspector coverage INACTIVE for an ECR image in aws-cn',
    sampleWith('inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json', {
      top: { resources: ['arn:aws-cn:ecr:cn-north-1:111122223333:repository/prod/payments/api/sha256:4a5e5b8d3b1f0c2e6d7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e'] },
    }),
    [ScanAlert],
  ],
  ['Inspector coverage ACTIVE for an ECR image', sampleWith('inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json', { detail: { scanStatus: { reason: 'SUCCESSFUL', statusCodeValue: 'ACTIVE' } } }), []],
  // The documented EC2 coverage sample's resource and reason.
  ['Inspector coverage INACTIVE for an EC2 instance', sampleWith('inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json', { top: { resources: ['i-087d63509b8c97098'] }, detail: { scanStatus: { reason: 'UNMANAGED_EC2_INSTANCE', statusCodeValue: 'INACTIVE' } } }), []],
  ['Inspector coverage INACTIVE for an ECR repository (no digest)', sampleWith('inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json', { top: { resources: ['arn:aws:ecr:us-east-1:111122223333:repository/prod/api'] } }), []],
  // Configuration changes
  ['config parameter updated', parameterChange(CONFIG_PARAMETER, 'Update'), [Prepopulate]],
  ['config parameter created', parameterChange(CONFIG_PARAMETER, 'Create'), [Prepopulate]],
  ['config parameter deleted', parameterChange(CONFIG_PARAMETER, 'Delete'), []],
  ['another parameter updated', parameterChange('/someone/else/config', 'Update'), []],
];

describe('routing of variants under the example configuration', () => {
  it.each(VARIANTS)('%s', (_name, event, expected) => {
    // Act
    const reached = route(event);

    // Assess
    expect(reached).toEqual([...expected].sort());
  });
});

describe('routing that depends on the configuration', () => {
  it('sends HIGH findings to scan-alert when the threshold is HIGH, and still not MEDIUM-only scans', () => {
    // Prepare
    const base = loadExampleConfig();
    const high = buildTopology(exampleConfigWith({ scanAlerts: { ...base.scanAlerts!, minSeverity: 'HIGH' } }), { configParameterName: CONFIG_PARAMETER });
    const highScan = sampleWith('ecr-image-scan-basic-complete.json', { detail: { 'finding-severity-counts': { HIGH: 1 } } });
    const mediumScan = sampleWith('ecr-image-scan-basic-complete.json', { detail: { 'finding-severity-counts': { MEDIUM: 9, LOW: 3 } } });
    const highInitial = sampleWith('inspector2-scan-ecr-initial.json', { detail: { 'finding-severity-counts': { CRITICAL: 0, HIGH: 2, MEDIUM: 0, TOTAL: 2 } } });

    // Act
    const routes = [highScan, mediumScan, highInitial, inspectorFinding('HIGH', 'ACTIVE')].map((event) => routeEvent(high, event));

    // Assess
    expect(routes).toEqual([[ScanAlert], [], [ScanAlert], [ScanAlert]]);
  });

  it('uses TOTAL of Inspector initial scans when the threshold is below MEDIUM', () => {
    // Prepare
    const base = loadExampleConfig();
    const low = buildTopology(exampleConfigWith({ scanAlerts: { ...base.scanAlerts!, minSeverity: 'LOW' } }), { configParameterName: CONFIG_PARAMETER });
    const lowOnly = sampleWith('inspector2-scan-ecr-initial.json', { detail: { 'finding-severity-counts': { CRITICAL: 0, HIGH: 0, MEDIUM: 0, TOTAL: 3 } } });
    const nothing = readSample('inspector2-scan-ecr-initial.inspector-docs.json');

    // Act
    const routes = [lowOnly, nothing].map((event) => routeEvent(low, event));

    // Assess
    expect(routes).toEqual([[ScanAlert], []]);
  });

  it('gives automations without configuration no rules, so their events reach nothing', () => {
    // Prepare
    const bare = buildTopology(exampleConfigWith({ tagPolicies: [], pullThroughCache: [], scanAlerts: undefined }), {
      configParameterName: CONFIG_PARAMETER,
    });
    const events = [
      sampleWith('ecr-image-action-push-success.json', { detail: { 'repository-name': 'prod/api' } }),
      createRepositoryEvent('api', 'k8s/pause'),
      readSample('ecr-image-scan-basic-complete.json'),
      parameterChange(CONFIG_PARAMETER, 'Update'),
      readSample('ecr-replication-action-failed.json'),
    ];

    // Act
    const routes = events.map((event) => routeEvent(bare, event));
    const withRules = bare.automations.filter((automation) => automation.rules.length > 0).map((automation) => automation.id);

    // Assess
    expect(routes).toEqual([[], [], [], [], [Replication]]);
    expect(withRules).toEqual([Replication]);
  });

  it('routes repositories created or replicated under repositoryTemplates prefixes to cache-repository, per appliedFor', () => {
    // Prepare
    const templates = buildTopology(
      exampleConfigWith({
        repositoryTemplates: [
          { prefix: 'apps', appliedFor: ['CREATE_ON_PUSH'] },
          { prefix: 'mirror', appliedFor: ['REPLICATION'] },
        ],
      }),
      { configParameterName: CONFIG_PARAMETER },
    );
    const replicated = (name: string) => sampleWith('ecr-replication-action-success.json', { detail: { 'repository-name': name } });

    // Act
    const routes = [
      createRepositoryEvent('service', 'apps/new-service'),
      createRepositoryEvent('api', 'apps/new-service'),
      replicated('mirror/base'),
      // CREATE_ON_PUSH only: ECR never creates repositories under mirror/ itself on a push.
      createRepositoryEvent('service', 'mirror/base'),
      createRepositoryEvent('service', 'appsx/api'),
      sampleWith('ecr-pull-through-cache-action.normalized.json', { detail: { 'repository-name': 'apps/x', 'ecr-repository-prefix': 'apps' } }),
    ].map((event) => [...routeEvent(templates, event)].filter((id) => id === CacheRepository));

    // Assess
    expect(routes).toEqual([[CacheRepository], [CacheRepository], [CacheRepository], [], [], []]);
    const worker = templates.automations.find((automation) => automation.id === CacheRepository);
    const configure = worker?.permissions.find((statement) => statement.sid === 'ConfigureCacheRepositories');
    expect(configure?.resources).toEqual([
      'arn:aws:ecr:eu-central-1:111122223333:repository/apps/*',
      'arn:aws:ecr:eu-central-1:111122223333:repository/k8s/*',
      'arn:aws:ecr:eu-central-1:111122223333:repository/mirror/*',
    ]);
  });

  it('covers a repository matched only by the last of many tag-policy globs (rules split to fit the quota)', () => {
    // Prepare
    const base = loadExampleConfig();
    const policy = base.tagPolicies[0]!;
    const globs = Array.from({ length: 120 }, (_, index) => `team-${String(index).padStart(3, '0')}/service-with-a-long-name/**`);
    const many = buildTopology(exampleConfigWith({ tagPolicies: [{ ...policy, repositories: globs }] }), { configParameterName: CONFIG_PARAMETER });
    const push = (repositoryName: string) => sampleWith('ecr-image-action-push-success.json', { detail: { 'repository-name': repositoryName } });

    // Act
    const tagRules = many.automations.find((automation) => automation.id === TagPolicy)!.rules;
    const routes = ['team-119/service-with-a-long-name/api', 'team-000/service-with-a-long-name/x', 'team-120/service-with-a-long-name/api'].map(
      (name) => routeEvent(many, push(name)),
    );

    // Assess
    expect(tagRules.length).toBeGreaterThan(1);
    expect(routes).toEqual([[TagPolicy], [TagPolicy], []]);
  });
});

describe('cache health routing (ECR Pull Through Cache Action)', () => {
  it.each([
    ['FAILED', 'cache-health-sync-failed'],
    ['FAILURE', 'cache-health-sync-failed'],
    ['SUCCESS', 'cache-repository-pull-through'],
  ])('a sync-status %s under k8s matches exactly one rule, %s', (syncStatus, ruleSuffix) => {
    // Prepare
    const event = failedSync('k8s/pause', syncStatus);

    // Act
    const rules = matchingRules(event);

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]).toContain(ruleSuffix);
  });

  it('routes the unchanged AWS sample (SUCCESS) to the configuring rule only, once it is under a cache prefix', () => {
    // Prepare
    const event = sampleWith('ecr-pull-through-cache-action.normalized.json', { detail: { 'repository-name': 'k8s/alpine', 'ecr-repository-prefix': 'k8s' } });

    // Act
    const rules = matchingRules(event);

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]).toContain('cache-repository-pull-through');
  });
});
