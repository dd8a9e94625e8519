import { managedPrefixes } from '../../cache-repository/managed-rule.js';
import { AutomationId, CacheMode, TemplateAppliedFor } from '../../constants.js';
import { AwsDetailType, ECR_CLOUDTRAIL_EVENT_SOURCE, EcrActionResult, EventSource } from '../../events/vocabulary.js';
import { grantCalls, listRepositories, repositoryArnsForPrefixes } from '../iam.js';
import { type RepositoryNameMatcher, repositoryMatchersForPrefixes } from '../repository-filter.js';
import { packRepositoryRules } from '../rule-packing.js';
import { scheduleRule } from '../scheduled-event.js';
import type { AutomationSpec, EventPattern, JsonValue, RuleSpec } from '../types.js';
import { type AutomationContext, automationSpec } from './automation.js';

/** Events are best effort, so the worker also sweeps every cache prefix on this schedule. */
const CACHE_REPOSITORY_RECONCILE_SCHEDULE = 'rate(12 hours)';

/** `detail['repository-name']` filter of ECR's own events; none when every repository matches. */
const repositoryNameFilter = (matchers: RepositoryNameMatcher[] | undefined): { [key: string]: JsonValue } =>
  matchers === undefined ? {} : { 'repository-name': matchers };

/** CreateRepository through CloudTrail, only when it succeeded (no errorCode). */
const createRepositoryPattern = (detailType: string, nameField: 'requestParameters' | 'serviceEventDetails', matchers: RepositoryNameMatcher[] | undefined): EventPattern => ({
  source: [EventSource.Ecr],
  'detail-type': [detailType],
  detail: {
    eventSource: [ECR_CLOUDTRAIL_EVENT_SOURCE],
    eventName: ['CreateRepository'],
    errorCode: [{ exists: false }],
    ...(matchers === undefined ? {} : { [nameField]: { repositoryName: matchers } }),
  },
});

/**
 * Every prefix (cache and repositoryTemplates) gets the API-call and replication rules (copy-mode repositories
 * are created by the prepopulate worker's CreateRepository call; REPLICATION templates act on replicated
 * ones); prefixes where ECR creates repositories itself (`createdByEcrPrefixes`: the pull-through cache's, and
 * CREATE_ON_PUSH templates') get the service-event rule; only prefixes served by a pull-through cache rule
 * (`cachePrefixes`) get the rule for its syncs.
 *
 * ECR-GUESS: ECR's documentation does not say what CloudTrail records when a push creates a repository.
 * Both forms are routed (API call with the pusher as caller, and service event like a pull-through cache
 * creation); whichever arrives configures the repository, and the sweep covers an event that never comes.
 */
const cacheRepositoryRules = (prefixes: string[], cachePrefixes: string[], createdByEcrPrefixes: string[]): RuleSpec[] => {
  if (prefixes.length === 0) return [];
  const matchers = repositoryMatchersForPrefixes(prefixes);
  const cacheMatchers = repositoryMatchersForPrefixes(cachePrefixes);
  const createdByEcr =
    createdByEcrPrefixes.length === 0
      ? []
      : // Repositories ECR creates itself arrive as service events, with the name elsewhere.
        packRepositoryRules({
          name: 'cache-repository-created-by-ecr',
          description: 'Dockmaster: repositories ECR created under a cache or create-on-push prefix (CloudTrail service event)',
          matchers: repositoryMatchersForPrefixes(createdByEcrPrefixes),
          build: (chunk) => createRepositoryPattern(AwsDetailType.ServiceEventViaCloudTrail, 'serviceEventDetails', chunk),
        });
  const pullThroughCacheRules =
    cachePrefixes.length === 0
      ? []
      : [
          ...packRepositoryRules({
            name: 'cache-repository-pull-through',
            description: 'Dockmaster: successful pull-through cache syncs under a cache prefix',
            matchers: cacheMatchers,
            build: (chunk) => ({
              source: [EventSource.Ecr],
              'detail-type': [AwsDetailType.EcrPullThroughCacheAction],
              detail: { 'sync-status': [EcrActionResult.Success], ...repositoryNameFilter(chunk) },
            }),
          }),
          // Cache health: every other sync-status (ECR-GUESS: only SUCCESS is documented) goes to the owner once.
          ...packRepositoryRules({
            name: 'cache-health-sync-failed',
            description: 'Dockmaster: failed pull-through cache syncs under a cache prefix (cache health)',
            matchers: cacheMatchers,
            build: (chunk) => ({
              source: [EventSource.Ecr],
              'detail-type': [AwsDetailType.EcrPullThroughCacheAction],
              detail: { 'sync-status': [{ 'anything-but': [EcrActionResult.Success] }], ...repositoryNameFilter(chunk) },
            }),
          }),
        ];
  return [
    ...packRepositoryRules({
      name: 'cache-repository-created-by-api',
      description: 'Dockmaster: repositories created under a cache prefix by an API call (CloudTrail)',
      matchers,
      build: (chunk) => createRepositoryPattern(AwsDetailType.ApiCallViaCloudTrail, 'requestParameters', chunk),
    }),
    ...createdByEcr,
    ...pullThroughCacheRules,
    ...packRepositoryRules({
      name: 'cache-repository-replicated',
      description: 'Dockmaster: successful replications into a cache prefix',
      matchers,
      build: (chunk) => ({
        source: [EventSource.Ecr],
        'detail-type': [AwsDetailType.EcrReplicationAction],
        detail: { result: [EcrActionResult.Success], ...repositoryNameFilter(chunk) },
      }),
    }),
    scheduleRule(
      'cache-repository-reconcile',
      'Dockmaster: sweep all repositories under the cache prefixes (events are best effort)',
      CACHE_REPOSITORY_RECONCILE_SCHEDULE,
      { automation: AutomationId.CacheRepository, trigger: 'reconcile' },
    ),
  ];
};

/**
 * Applies repository policy, lifecycle, tag mutability and scanning settings to repositories under every prefix
 * (cache and copy mode, and repositoryTemplates: their creation templates act only at creation).
 */
const cacheRepositoryAutomation = ({ config, registry }: AutomationContext): AutomationSpec => {
  const prefixes = managedPrefixes(config);
  const cachePrefixes = config.pullThroughCache.filter((cache) => cache.mode === CacheMode.Cache).map((cache) => cache.prefix);
  const createOnPushPrefixes = config.repositoryTemplates
    .filter((template) => template.appliedFor.includes(TemplateAppliedFor.CreateOnPush))
    .map((template) => template.prefix);
  return automationSpec(AutomationId.CacheRepository, {
    description: 'Applies the configured policy and settings to repositories under pull-through cache prefixes, and repairs drift.',
    rules: cacheRepositoryRules(prefixes, cachePrefixes, [...cachePrefixes, ...createOnPushPrefixes]),
    permissions:
      prefixes.length === 0
        ? []
        : [
            ...grantCalls(AutomationId.CacheRepository, 'ConfigureCacheRepositories', repositoryArnsForPrefixes(registry, prefixes)),
            // The reconcile sweep pages through every repository and keeps those under a prefix.
            ...listRepositories(AutomationId.CacheRepository, registry),
          ],
    // The shared batch handler deduplicates every record through the idempotency table (and needs its name);
    // configuring is safe to repeat anyway, but a redelivered event would announce the same change twice.
    needsIdempotency: true,
    // The per-repository lease (serialises an event and the sweep on one repository) lives in the state table.
    needsState: true,
  });
};

export { CACHE_REPOSITORY_RECONCILE_SCHEDULE, cacheRepositoryAutomation };
