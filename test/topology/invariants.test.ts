import { AUTOMATION_IDS, AutomationId } from '@dockmaster/core/constants';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { EventBridgeEnvelopeSchema } from '@dockmaster/core/events/envelope';
import { validateEventPattern } from '@dockmaster/core/pattern';
import {
  buildTopology,
  eventPatternLength,
  MAX_EVENT_PATTERN_LENGTH,
  SCAN_ALERT_WATCHDOG_SCHEDULE,
  TABLE_ITEM_ACTIONS,
  VISIBILITY_TIMEOUT_FACTOR,
  WORKER_ENVIRONMENT,
  type EventPattern,
  type IamStatement,
  type ScheduleRuleSpec,
  type Topology,
} from '@dockmaster/core/topology';
import { ScanAlertMessageSchema } from '@dockmaster/functions/scan-alert';
import { describe, expect, it } from 'vitest';
import { exampleConfigWith, loadExampleConfig } from './helpers.js';

/*
 * Invariants every generated topology must keep, checked on the example configuration and on variants
 * that stress them (no optional sections, many globs and prefixes, other thresholds).
 */

const CONFIG_PARAMETER = '/dockmaster/test/config';
const example = loadExampleConfig();
const policy = example.tagPolicies[0]!;
const cache = example.pullThroughCache[0]!;

const CONFIGS: [string, DockmasterConfig][] = [
  ['the example', example],
  ['no optional sections', exampleConfigWith({ tagPolicies: [], pullThroughCache: [], scanAlerts: undefined, teams: {} })],
  [
    'many long globs and prefixes, INFORMATIONAL threshold',
    exampleConfigWith({
      tagPolicies: [{ ...policy, repositories: Array.from({ length: 150 }, (_, index) => `org-${index}/some-rather-long-path/{api,worker}-[a-z]*/**`) }],
      pullThroughCache: Array.from({ length: 50 }, (_, index) => ({ ...cache, prefix: `upstream-cache-number-${index}` })),
      scanAlerts: { ...example.scanAlerts!, minSeverity: 'INFORMATIONAL' },
    }),
  ],
  ['the example with the scan watchdog', exampleConfigWith({ scanAlerts: { ...example.scanAlerts!, watchdog: { silentAfterHours: 24 } } })],
  [
    'a cache prefix next to copy-mode prefixes',
    exampleConfigWith({
      pullThroughCache: [
        cache,
        { ...cache, prefix: 'mcr', upstream: 'mcr.microsoft.com', mode: 'copy' },
        {
          prefix: 'nvcr',
          upstream: 'nvcr.io',
          mode: 'copy',
          credentialArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/nvcr-AbCdEf',
          prepopulate: { images: [{ image: 'nvidia/cuda', tags: ['12.4.1-base-ubuntu22.04'] }] },
        },
      ],
    }),
  ],
  [
    'the example in GovCloud, with the watchdog',
    exampleConfigWith({
      registry: { accountId: '123456789012', region: 'us-gov-west-1' },
      scanAlerts: { ...example.scanAlerts!, watchdog: { silentAfterHours: 24 } },
    }),
  ],
  [
    'catch-all globs in China',
    exampleConfigWith({
      registry: { accountId: '999988887777', region: 'cn-north-1' },
      tagPolicies: [{ ...policy, repositories: ['**'] }],
      scanAlerts: { ...example.scanAlerts!, routes: [{ repositories: ['**'], team: 'platform' }] },
    }),
  ],
];

const topologies: [string, DockmasterConfig, Topology][] = CONFIGS.map(([name, config]) => [
  name,
  config,
  buildTopology(config, { configParameterName: CONFIG_PARAMETER }),
]);

const allPatterns = (topology: Topology): [string, EventPattern][] => [
  ...topology.automations.flatMap((automation) =>
    automation.rules.flatMap((rule) => (rule.kind === 'event' ? [[rule.name, rule.eventPattern] as [string, EventPattern]] : [])),
  ),
  ...topology.teamAlertRoutes.map((route) => [route.rule.name, route.rule.eventPattern] as [string, EventPattern]),
];

const allStatements = (topology: Topology): [AutomationId, IamStatement][] =>
  topology.automations.flatMap((automation) => automation.permissions.map((statement) => [automation.id, statement] as [AutomationId, IamStatement]));

/** Written out here rather than taken from partitionOf, so that a wrong partitionOf fails these tests. */
const expectedPartition = (region: string): string => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

/** The fixed start of a glob or IAM wildcard: `prod/**` -> `prod/`, `**` -> ``. */
const literalPrefixOf = (pattern: string): string => pattern.split(/[*?[{]/)[0]!;

/** IAM wildcard semantics: `*` any run of characters (including '/'), `?` exactly one. */
const iamMatches = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

/** Resources of the statements of one automation that carry the given action. */
const resourcesFor = (topology: Topology, id: AutomationId, action: string): string[] =>
  topology.automations
    .find((automation) => automation.id === id)!
    .permissions.filter((statement) => statement.actions.includes(action))
    .flatMap((statement) => statement.resources);

const allowed = (resources: string[], arn: string) => resources.some((resource) => iamMatches(resource, arn));

describe.each(topologies)('topology for %s', (_name, config, topology) => {
  it('declares every automation once, in the order of AUTOMATION_IDS, with its handler', () => {
    // Act
    const ids = topology.automations.map((automation) => automation.id);
    const handlers = topology.automations.map((automation) => automation.function.handler);

    // Assess
    expect(ids).toEqual([...AUTOMATION_IDS]);
    expect(handlers).toEqual(AUTOMATION_IDS.map((id) => `packages/functions/src/handlers/${id}.handler`));
  });

  it('keeps every visibility timeout at least 6x the function timeout plus the batching window', () => {
    for (const automation of topology.automations) {
      // Assess
      expect(automation.queue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
        VISIBILITY_TIMEOUT_FACTOR * automation.function.timeoutSeconds + automation.batch.windowSeconds,
      );
      expect(automation.queue.visibilityTimeoutSeconds).toBeLessThanOrEqual(12 * 3600);
      expect(automation.function.timeoutSeconds).toBeLessThanOrEqual(900);
    }
  });

  it('gives every queue a DLQ with a maxReceiveCount of at least 5 (Lambda guidance) and a longer retention than the queue', () => {
    for (const automation of topology.automations) {
      // Assess
      const { deadLetter } = automation.queue;
      // Written out, not MIN_MAX_RECEIVE_COUNT: lowering the constant must fail here too.
      expect(deadLetter.maxReceiveCount, automation.id).toBeGreaterThanOrEqual(5);
      expect(deadLetter.maxReceiveCount).toBeLessThanOrEqual(1000);
      // SQS keeps the original enqueue time when it moves a message to the DLQ.
      expect(deadLetter.messageRetentionSeconds).toBeGreaterThan(automation.queue.messageRetentionSeconds);
      expect(deadLetter.messageRetentionSeconds).toBeLessThanOrEqual(14 * 24 * 3600);
      expect(automation.batch.size).toBeGreaterThanOrEqual(1);
      expect(automation.batch.size).toBeLessThanOrEqual(10);
    }
  });

  it('generates only valid event patterns, each under the 2,048-character quota', () => {
    for (const [name, pattern] of allPatterns(topology)) {
      // Act
      const check = validateEventPattern(pattern);

      // Assess
      expect(check, name).toEqual({ ok: true });
      expect(eventPatternLength(pattern), name).toBeLessThan(MAX_EVENT_PATTERN_LENGTH);
    }
  });

  it('uses unique, valid EventBridge rule names and valid schedule expressions', () => {
    // Prepare
    const rules = [...topology.automations.flatMap((automation) => automation.rules), ...topology.teamAlertRoutes.map((route) => route.rule)];

    // Act
    const names = rules.map((rule) => rule.name);
    const schedules = rules.flatMap((rule) => (rule.kind === 'schedule' ? [rule.scheduleExpression] : []));

    // Assess
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    for (const schedule of schedules) expect(schedule).toMatch(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/);
  });

  it('is plain JSON data', () => {
    // Act
    const roundTripped = JSON.parse(JSON.stringify(topology)) as unknown;

    // Assess
    expect(roundTripped).toEqual(topology);
  });

  it('never grants ecr:* or any wildcard action', () => {
    for (const [id, statement] of allStatements(topology)) {
      // Assess
      for (const action of statement.actions) expect(action, id).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    }
  });

  it('uses the * resource only for actions without resource-level permissions, alone in their statement', () => {
    // Prepare: the registry login, and the Inspector reads of enhanced-scanning findings.
    const unscoped = [['ecr:GetAuthorizationToken'], ['inspector2:ListFindings', 'inspector2:ListCoverage']];

    for (const [id, statement] of allStatements(topology)) {
      if (!statement.resources.includes('*')) continue;
      // Assess
      expect(unscoped, id).toContainEqual(statement.actions);
      expect(statement.resources, id).toEqual(['*']);
    }
  });

  it('grants every repository (repository/*) only to list repositories, unless a glob of the configuration covers everything', () => {
    // Prepare
    const everyRepository = `arn:${topology.registry.partition}:ecr:${config.registry.region}:${config.registry.accountId}:repository/*`;
    const catchAll = (globs: string[]) => globs.some((glob) => literalPrefixOf(glob) === '');
    const coversEverything: Record<AutomationId, boolean> = {
      'tag-policy': catchAll(config.tagPolicies.flatMap((tagPolicy) => tagPolicy.repositories)),
      'cache-repository': false,
      prepopulate: false,
      'scan-alert': catchAll((config.scanAlerts?.routes ?? []).flatMap((scanRoute) => scanRoute.repositories)),
      replication: false,
    };

    for (const [id, statement] of allStatements(topology)) {
      if (!statement.resources.includes(everyRepository)) continue;
      // Assess
      if (!coversEverything[id]) expect([id, statement.actions, statement.resources]).toEqual([id, ['ecr:DescribeRepositories'], [everyRepository]]);
    }
  });

  it('scopes every other ECR and SSM resource to the configured account and Region', () => {
    // Prepare
    const { accountId, region } = config.registry;
    const partition = expectedPartition(region);

    for (const [id, statement] of allStatements(topology)) {
      const ecr = statement.actions.some((action) => action.startsWith('ecr:'));
      const ssm = statement.actions.some((action) => action.startsWith('ssm:'));
      if (statement.resources.includes('*')) continue;
      for (const resource of statement.resources) {
        // Assess
        if (ecr) expect(resource, id).toMatch(new RegExp(`^arn:${partition}:ecr:${region}:${accountId}:repository/[a-z0-9._\\-/*?]+$`));
        if (ssm) expect(resource, id).toBe(`arn:${partition}:ssm:${region}:${accountId}:parameter${CONFIG_PARAMETER}`);
        expect(resource, id).not.toBe('*');
      }
    }
  });

  it("names every resource in the registry's partition, and says which partition that is", () => {
    // Prepare
    const partition = expectedPartition(config.registry.region);

    // Act
    const resources = allStatements(topology).flatMap(([, statement]) => statement.resources.filter((resource) => resource !== '*'));

    // Assess
    expect(topology.registry.partition).toBe(partition);
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(resource).toMatch(new RegExp(`^arn:${partition}:[a-z0-9-]+:${config.registry.region}:${config.registry.accountId}:`));
  });

  it('keeps ECR repository resources under the globs and prefixes the configuration covers', () => {
    // Prepare
    const arnPrefix = `arn:${topology.registry.partition}:ecr:${config.registry.region}:${config.registry.accountId}:repository/`;
    const literalPrefix = literalPrefixOf;
    const cachePrefixes = config.pullThroughCache.map((entry) => `${entry.prefix}/`);
    const covered: Record<AutomationId, string[]> = {
      'tag-policy': config.tagPolicies.flatMap((tagPolicy) => tagPolicy.repositories).map(literalPrefix),
      'cache-repository': cachePrefixes,
      prepopulate: config.pullThroughCache.filter((entry) => (entry.prepopulate?.images.length ?? 0) > 0).map((entry) => `${entry.prefix}/`),
      // Cached images alert their allow-list owner, and the watchdog watches the cache prefixes.
      'scan-alert': [...(config.scanAlerts?.routes ?? []).flatMap((scanRoute) => scanRoute.repositories).map(literalPrefix), ...cachePrefixes],
      replication: [],
    };

    // Listing repositories is checked on its own (above).
    for (const [id, statement] of allStatements(topology).filter(([, candidate]) => candidate.sid !== 'ListRepositories')) {
      for (const resource of statement.resources.filter((arn) => arn.startsWith(arnPrefix))) {
        // Act
        const name = resource.slice(arnPrefix.length);

        // Assess: the resource's fixed part starts with the fixed part of something the config covers.
        expect(covered[id].some((prefix) => literalPrefix(name).startsWith(prefix)), `${id}: ${name}`).toBe(true);
      }
    }
  });

  it('gives every worker its bus, its own DLQ (URL and sqs:SendMessage) and the configuration parameter name', () => {
    for (const automation of topology.automations) {
      // Assess
      expect(automation.environment, automation.id).toEqual(expect.arrayContaining(['configParameter', 'busName', 'deadLetterQueueUrl']));
      expect(automation.stackGrants, automation.id).toEqual(
        expect.arrayContaining([
          { sid: 'PutDockmasterEvents', actions: ['events:PutEvents'], resource: 'bus' },
          { sid: 'SendToOwnDeadLetterQueue', actions: ['sqs:SendMessage'], resource: 'dead-letter-queue' },
        ]),
      );
    }
  });

  it('gives the table variable and item actions on the table exactly to the workers that need it', () => {
    for (const automation of topology.automations) {
      // Act
      const tableGrants = (resource: string) => automation.stackGrants.filter((grant) => grant.resource === resource);

      // Assess
      expect(automation.environment.includes('stateTable'), automation.id).toBe(automation.needsState);
      expect(tableGrants('state-table').length, automation.id).toBe(automation.needsState ? 1 : 0);
      for (const action of tableGrants('state-table').flatMap((grant) => grant.actions)) expect(TABLE_ITEM_ACTIONS, automation.id).toContain(action);
      expect(automation.environment.includes('idempotencyTable'), automation.id).toBe(automation.needsIdempotency);
      expect(tableGrants('idempotency-table').map((grant) => grant.actions), automation.id).toEqual(automation.needsIdempotency ? [[...TABLE_ITEM_ACTIONS]] : []);
    }
  });

  it('lets only prepopulate fan out to its own queue, and tells it the queue URL; every worker may only keep its events there while paused', () => {
    // Act
    const fanOut = topology.automations.filter((automation) => automation.stackGrants.some((grant) => grant.sid === 'FanOutToOwnQueue'));
    const told = topology.automations.filter((automation) => automation.environment.includes('prepopulateQueueUrl'));
    const ownQueueGrants = topology.automations.map((automation) => automation.stackGrants.filter((grant) => grant.resource === 'own-queue' && grant.sid !== 'FanOutToOwnQueue'));

    // Assess
    expect(fanOut.map((automation) => automation.id)).toEqual([AutomationId.Prepopulate]);
    expect(told.map((automation) => automation.id)).toEqual([AutomationId.Prepopulate]);
    expect(fanOut[0]?.stackGrants.find((grant) => grant.sid === 'FanOutToOwnQueue')?.actions).toEqual(['sqs:SendMessage']);
    for (const grants of ownQueueGrants) expect(grants).toEqual([{ sid: 'KeepEventsWhilePaused', actions: ['sqs:GetQueueUrl', 'sqs:SendMessage'], resource: 'own-queue' }]);
  });

  it('lets every worker read the configuration item (GetItem on the config table, nothing else) and names the table', () => {
    for (const automation of topology.automations) {
      // Act
      const grants = automation.stackGrants.filter((grant) => grant.resource === 'config-table');

      // Assess
      expect(grants, automation.id).toEqual([{ sid: 'ReadConfigurationContent', actions: ['dynamodb:GetItem'], resource: 'config-table' }]);
      expect(automation.environment, automation.id).toEqual(expect.arrayContaining(['configTable', 'configParameter']));
    }
  });

  it('names each worker variable once, from WORKER_ENVIRONMENT, and grants no wildcard action on stack resources', () => {
    for (const automation of topology.automations) {
      // Assess
      expect(new Set(automation.environment).size, automation.id).toBe(automation.environment.length);
      for (const variable of automation.environment) expect(Object.keys(WORKER_ENVIRONMENT), automation.id).toContain(variable);
      for (const grant of automation.stackGrants) for (const action of grant.actions) expect(action, automation.id).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    }
    expect(topology.workerEnvironment).toEqual(WORKER_ENVIRONMENT);
  });

  it('has no principal that is *', () => {
    // Prepare
    const principals: unknown[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) {
        for (const [key, child] of Object.entries(value)) {
          if (/principal/i.test(key)) principals.push(child);
          walk(child);
        }
      }
    };

    // Act
    walk(topology);

    // Assess
    expect(JSON.stringify(principals)).not.toContain('"*"');
  });

  it('routes each team alert rule only to Dockmaster events of that team', () => {
    for (const route of topology.teamAlertRoutes) {
      // Assess
      expect(route.rule.eventPattern).toMatchObject({ source: ['dockmaster'], detail: { team: [route.team] } });
      expect(route.emails).toEqual(config.teams[route.team]?.email);
    }
    expect(topology.teamAlertRoutes.map((route) => route.team).sort()).toEqual(Object.keys(config.teams).sort());
  });
});

describe('least privilege under the example configuration, by repository', () => {
  const topology = topologies[0]![2];
  const arn = (name: string) => `arn:aws:ecr:eu-central-1:111122223333:repository/${name}`;

  it('lets tag-policy read covered repositories and remove tags only where a policy enforces', () => {
    // Act
    const read = resourcesFor(topology, AutomationId.TagPolicy, 'ecr:BatchGetImage');
    const remove = resourcesFor(topology, AutomationId.TagPolicy, 'ecr:BatchDeleteImage');

    // Assess
    expect(['prod/api', 'prod/payments/api', 'vendor/nginx'].map((name) => allowed(read, arn(name)))).toEqual([true, true, true]);
    expect(['prod', 'production/api', 'k8s/pause', 'staging/api'].map((name) => allowed(read, arn(name)))).toEqual([false, false, false, false]);
    // vendor/** is in audit mode: its tags are never removed.
    expect(['prod/api', 'vendor/nginx'].map((name) => allowed(remove, arn(name)))).toEqual([true, false]);
  });

  it('lets cache-repository and prepopulate act under k8s/ only, never k8sfoo/', () => {
    // Act
    const configure = resourcesFor(topology, AutomationId.CacheRepository, 'ecr:SetRepositoryPolicy');
    const warm = resourcesFor(topology, AutomationId.Prepopulate, 'ecr:BatchImportUpstreamImage');

    // Assess
    for (const resources of [configure, warm]) {
      expect(['k8s/pause', 'k8s/coredns/coredns', 'k8sfoo/pause', 'prod/api'].map((name) => allowed(resources, arn(name)))).toEqual([
        true,
        true,
        false,
        false,
      ]);
    }
  });

  it('lets scan-alert read findings, push times and labels of routed repositories and of cache repositories', () => {
    // Prepare: the example routes prod/payments/** and ** (everything); a variant routes prod/** only
    const narrow = buildTopology(exampleConfigWith({ scanAlerts: { ...example.scanAlerts!, routes: [{ repositories: ['prod/**'], team: 'platform' }] } }), {
      configParameterName: CONFIG_PARAMETER,
    });
    const actions = ['ecr:DescribeImageScanFindings', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

    for (const action of actions) {
      // Act
      const resources = resourcesFor(narrow, AutomationId.ScanAlert, action);

      // Assess
      expect(['prod/api', 'k8s/pause', 'k8sfoo/pause', 'staging/api'].map((name) => allowed(resources, arn(name))), action).toEqual([true, true, false, false]);
      expect(resourcesFor(topology, AutomationId.ScanAlert, action), action).toEqual([arn('*')]);
    }
  });

  it('lets scan-alert list repositories only when the watchdog is on, and the cache-repository sweep always', () => {
    // Prepare
    const withWatchdog = topologies.find(([name]) => name === 'the example with the scan watchdog')![2];

    // Act
    const listers = (candidate: Topology) =>
      candidate.automations.filter((automation) => automation.permissions.some((statement) => statement.sid === 'ListRepositories')).map((automation) => automation.id);

    // Assess
    expect(listers(topology)).toEqual([AutomationId.CacheRepository]);
    expect(listers(withWatchdog)).toEqual([AutomationId.CacheRepository, AutomationId.ScanAlert]);
  });

  it('deduplicates cache-repository records and keeps the state of cache-repository, prepopulate and scan-alert', () => {
    // Act
    const flags = topology.automations.map((automation) => [automation.id, automation.needsIdempotency, automation.needsState]);

    // Assess
    expect(flags).toEqual([
      [AutomationId.TagPolicy, true, false],
      [AutomationId.CacheRepository, true, true],
      [AutomationId.Prepopulate, true, true],
      [AutomationId.ScanAlert, true, true],
      [AutomationId.Replication, true, false],
    ]);
  });

  it('gives replication no ECR rights and every worker read access to the configuration parameter only', () => {
    // Act
    const replication = topology.automations.find((automation) => automation.id === AutomationId.Replication)!;
    const configReads = topology.automations.map((automation) => resourcesFor(topology, automation.id, 'ssm:GetParameter'));

    // Assess
    expect(replication.permissions.flatMap((statement) => statement.actions)).toEqual(['ssm:GetParameter']);
    expect(configReads).toEqual(AUTOMATION_IDS.map(() => ['arn:aws:ssm:eu-central-1:111122223333:parameter/dockmaster/test/config']));
  });
});

/** A Scheduled Event as EventBridge emits it, before the rule's input transformer. */
const SCHEDULED_EVENT = {
  version: '0',
  id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time: '2026-03-01T06:00:00Z',
  region: 'eu-central-1',
  resources: ['arn:aws:events:eu-central-1:111122223333:rule/prepopulate-schedule-k8s'],
  detail: {},
};

/** EventBridge's substitution for a JSON template: strings inside the template's quotes, arrays as JSON. */
const fillScheduledTemplate = (rule: ScheduleRuleSpec): string => {
  const { inputPaths, inputTemplate } = rule.inputTransformer;
  return inputTemplate.replace(/<([a-z]+)>/g, (_match, key: string) => {
    const value = SCHEDULED_EVENT[inputPaths[key]!.slice(2) as keyof typeof SCHEDULED_EVENT];
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
};

describe('scheduled rules', () => {
  const topology = topologies[0]![2];
  const schedules = topology.automations.flatMap((automation) =>
    automation.rules.flatMap((rule) => (rule.kind === 'schedule' ? [{ id: automation.id, rule }] : [])),
  );

  it('declares the prepopulate schedule of the k8s cache and the cache-repository reconcile sweep', () => {
    // Act
    const declared = schedules.map(({ id, rule }) => [id, rule.scheduleExpression, rule.detail]);

    // Assess
    expect(declared).toEqual([
      [AutomationId.CacheRepository, 'rate(12 hours)', { automation: 'cache-repository', trigger: 'reconcile' }],
      [AutomationId.Prepopulate, 'rate(6 hours)', { automation: 'prepopulate', trigger: 'schedule', prefix: 'k8s' }],
    ]);
  });

  it('delivers an EventBridge envelope carrying the detail, once EventBridge fills the input template', () => {
    for (const { rule } of schedules) {
      // Act
      const delivered = JSON.parse(fillScheduledTemplate(rule)) as unknown;

      // Assess
      expect(EventBridgeEnvelopeSchema.parse(delivered)).toEqual({ ...SCHEDULED_EVENT, detail: rule.detail });
    }
  });

  it('runs the scan-alert watchdog hourly when scanAlerts.watchdog is set, with a message the worker takes for a watchdog run', () => {
    // Prepare
    const withWatchdog = topologies.find(([name]) => name === 'the example with the scan watchdog')![2];
    const scanAlert = withWatchdog.automations.find((automation) => automation.id === AutomationId.ScanAlert)!;
    const watchdog = scanAlert.rules.find((rule): rule is ScheduleRuleSpec => rule.kind === 'schedule')!;

    // Act
    const message = ScanAlertMessageSchema.parse(JSON.parse(fillScheduledTemplate(watchdog)));

    // Assess
    expect([watchdog.name, watchdog.scheduleExpression, watchdog.detail]).toEqual(['scan-alert-watchdog', SCAN_ALERT_WATCHDOG_SCHEDULE, { kind: 'watchdog' }]);
    expect(SCAN_ALERT_WATCHDOG_SCHEDULE).toBe('rate(1 hour)');
    expect(message).toMatchObject({ kind: 'watchdog', id: SCHEDULED_EVENT.id });
    expect(schedules.map(({ rule }) => rule.name)).not.toContain('scan-alert-watchdog');
  });
});

describe('statement size', () => {
  it('drops repository ARNs another ARN of the statement already covers', () => {
    // Prepare: the example routes prod/payments/** and ** (everything).
    const topology = topologies[0]![2];

    // Act
    const findings = resourcesFor(topology, AutomationId.ScanAlert, 'ecr:DescribeImageScanFindings');

    // Assess
    expect(findings).toEqual(['arn:aws:ecr:eu-central-1:111122223333:repository/*']);
  });
});
