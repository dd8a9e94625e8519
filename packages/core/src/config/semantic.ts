import { CacheMode } from '../constants.js';
import { PULL_THROUGH_CACHE_RULES_PER_REGISTRY, PULL_THROUGH_SECRET_PREFIX, pullThroughUpstream } from './pull-through-upstreams.js';
import { didYouMean } from './suggest.js';
import { excerpt, isRecord, quotedExcerpt } from '../shared/index.js';

/*
 * Checks across fields, which a per-field schema cannot express. They read the raw (possibly invalid) input
 * defensively, so a file with type errors still gets these checks: all problems are reported at once.
 */

type ConfigPath = (string | number)[];

interface SemanticIssue {
  path: ConfigPath;
  message: string;
}

type Entry = { index: number; value: Record<string, unknown> };

const entries = (value: unknown): Entry[] =>
  Array.isArray(value) ? value.flatMap((item, index) => (isRecord(item) ? [{ index, value: item }] : [])) : [];

const uniqueTagPolicyNames = (config: Record<string, unknown>): SemanticIssue[] => {
  const firstIndex = new Map<string, number>();
  const issues: SemanticIssue[] = [];
  for (const { index, value } of entries(config.tagPolicies)) {
    if (typeof value.name !== 'string') continue;
    const first = firstIndex.get(value.name);
    if (first === undefined) firstIndex.set(value.name, index);
    else
      issues.push({
        path: ['tagPolicies', index, 'name'],
        message: `duplicate tag policy name ${quotedExcerpt(value.name, "'")} (already used by tagPolicies[${first}]); names must be unique`,
      });
  }
  return issues;
};

/**
 * ECR gives every rule an implicit trailing '/', so 'k8s' owns 'k8s/...': a second rule for 'k8s/sub'
 * would compete for the same repositories.
 */
const distinctCachePrefixes = (config: Record<string, unknown>): SemanticIssue[] => {
  const seen: { index: number; prefix: string }[] = [];
  const issues: SemanticIssue[] = [];
  for (const { index, value } of entries(config.pullThroughCache)) {
    if (typeof value.prefix !== 'string') continue;
    const prefix = value.prefix;
    const path = ['pullThroughCache', index, 'prefix'];
    const same = seen.find((earlier) => earlier.prefix === prefix);
    if (same !== undefined) {
      issues.push({ path, message: `duplicate cache prefix ${quotedExcerpt(prefix, "'")} (already used by pullThroughCache[${same.index}]); prefixes must be unique` });
      continue;
    }
    for (const earlier of seen) {
      const [inner, outer] = prefix.startsWith(`${earlier.prefix}/`) ? [prefix, earlier.prefix] : [earlier.prefix, prefix];
      if (inner.startsWith(`${outer}/`)) {
        issues.push({
          path,
          message: `cache prefix ${quotedExcerpt(inner, "'")} is nested in ${quotedExcerpt(outer, "'")} (see pullThroughCache[${earlier.index}]): repositories under ${excerpt(inner)}/ would belong to both rules; use prefixes that do not contain one another`,
        });
      }
    }
    seen.push({ index, prefix });
  }
  return issues;
};

/**
 * A repositoryTemplates prefix must neither repeat nor nest in another template prefix or a cache prefix:
 * ECR applies the longest matching template, but the worker configures a repository by exactly one entry,
 * and a template inside a cache prefix would fight the pull-through cache's own template.
 */
const distinctTemplatePrefixes = (config: Record<string, unknown>): SemanticIssue[] => {
  const owners = [
    ...entries(config.pullThroughCache).map(({ index, value }) => ({ prefix: value.prefix, where: `pullThroughCache[${index}]` })),
    ...entries(config.repositoryTemplates).map(({ index, value }) => ({ prefix: value.prefix, where: `repositoryTemplates[${index}]` })),
  ].filter((owner): owner is { prefix: string; where: string } => typeof owner.prefix === 'string');
  const issues: SemanticIssue[] = [];
  for (const { index, value } of entries(config.repositoryTemplates)) {
    const prefix = value.prefix;
    if (typeof prefix !== 'string') continue;
    const self = `repositoryTemplates[${index}]`;
    // Each pair once: against cache prefixes always, against templates only those listed earlier.
    const earlier = owners.slice(0, owners.findIndex((owner) => owner.where === self));
    for (const other of earlier) {
      const path = ['repositoryTemplates', index, 'prefix'];
      if (other.prefix === prefix) {
        issues.push({ path, message: `duplicate prefix ${quotedExcerpt(prefix, "'")} (already used by ${other.where}); prefixes must be unique across pullThroughCache and repositoryTemplates` });
      } else if (prefix.startsWith(`${other.prefix}/`) || other.prefix.startsWith(`${prefix}/`)) {
        issues.push({
          path,
          message: `prefix ${quotedExcerpt(prefix, "'")} and ${quotedExcerpt(other.prefix, "'")} (${other.where}) contain one another: repositories under the inner one would belong to both; use prefixes that do not contain one another`,
        });
      }
    }
  }
  return issues;
};

/** Entries ECR's pull-through cache serves: `mode` absent (the default) or `cache`. A copy entry has no cache rule. */
const cacheModeEntries = (config: Record<string, unknown>): Entry[] =>
  entries(config.pullThroughCache).filter(({ value }) => value.mode === undefined || value.mode === CacheMode.Cache);

/** Upstreams the pull-through cache only reaches with a Secrets Manager secret (copy mode may pull anonymously). */
const credentialsWhereRequired = (config: Record<string, unknown>): SemanticIssue[] =>
  cacheModeEntries(config).flatMap(({ index, value }) => {
    const upstream = value.upstream;
    if (typeof upstream !== 'string' || value.credentialArn !== undefined) return [];
    if (pullThroughUpstream(upstream)?.needsCredentials !== true) return [];
    return [
      {
        path: ['pullThroughCache', index, 'credentialArn'],
        message: `is required for upstream ${excerpt(upstream)}: ECR authenticates to it with a Secrets Manager secret named ${PULL_THROUGH_SECRET_PREFIX}<name>`,
      },
    ];
  });

/** The pull-through cache only reads secrets named ecr-pullthroughcache/...; the copy worker reads any secret it is granted. */
const pullThroughSecretNames = (config: Record<string, unknown>): SemanticIssue[] =>
  cacheModeEntries(config).flatMap(({ index, value }) => {
    const arn = value.credentialArn;
    if (typeof arn !== 'string') return [];
    const name = /:secret:(.*)$/.exec(arn)?.[1];
    if (name === undefined || name.startsWith(PULL_THROUGH_SECRET_PREFIX)) return [];
    return [
      {
        path: ['pullThroughCache', index, 'credentialArn'],
        message:
          `must be a Secrets Manager secret ARN whose name starts with ${PULL_THROUGH_SECRET_PREFIX}: ECR's pull-through cache reads no other secrets (with mode: copy, any secret works); ` +
          `create the secret as ${PULL_THROUGH_SECRET_PREFIX}<name> (for example ${PULL_THROUGH_SECRET_PREFIX}${name.replace(/-[A-Za-z0-9]{6}$/, '')}) and set credentialArn to its ARN`,
      },
    ];
  });

/**
 * Each `mode: cache` entry becomes one pull-through cache rule in the registry, and ECR allows 50 per registry
 * (not adjustable): the deploy would fail at the 51st. Reported at the first entry over the quota.
 */
const pullThroughCacheRuleQuota = (config: Record<string, unknown>): SemanticIssue[] => {
  const cached = cacheModeEntries(config);
  const over = cached[PULL_THROUGH_CACHE_RULES_PER_REGISTRY];
  if (over === undefined) return [];
  return [
    {
      path: ['pullThroughCache', over.index],
      message:
        `is pull-through cache rule ${PULL_THROUGH_CACHE_RULES_PER_REGISTRY + 1} of ${cached.length}: ECR allows ${PULL_THROUGH_CACHE_RULES_PER_REGISTRY} per registry ` +
        `(a quota that cannot be raised, and rules made outside Dockmaster count too); remove ${cached.length - PULL_THROUGH_CACHE_RULES_PER_REGISTRY} ` +
        'mode: cache entries, or give upstreams the pull-through cache does not need mode: copy',
    },
  ];
};

const definedTeams = (config: Record<string, unknown>): SemanticIssue[] => {
  const teams = isRecord(config.teams) ? Object.keys(config.teams) : [];
  const check = (team: unknown, path: ConfigPath): SemanticIssue[] => {
    if (typeof team !== 'string' || teams.includes(team)) return [];
    const known = teams.length > 0 ? `defined: ${teams.join(', ')}` : 'no teams are defined';
    return [{ path, message: `team ${quotedExcerpt(team, "'")} is not defined under teams (${known})${didYouMean(team, teams)}` }];
  };
  const scanAlerts = isRecord(config.scanAlerts) ? config.scanAlerts : {};
  const routeIssues = entries(scanAlerts.routes).flatMap(({ index, value }) =>
    check(value.team, ['scanAlerts', 'routes', index, 'team']),
  );
  const ownerIssues = entries(config.pullThroughCache).flatMap(({ index, value }) => {
    const prepopulate = isRecord(value.prepopulate) ? value.prepopulate : {};
    return [
      ...check(prepopulate.defaultOwner, ['pullThroughCache', index, 'prepopulate', 'defaultOwner']),
      ...entries(prepopulate.images).flatMap((image) =>
        check(image.value.owner, ['pullThroughCache', index, 'prepopulate', 'images', image.index, 'owner']),
      ),
    ];
  });
  const operations = isRecord(config.operations) ? config.operations : {};
  return [...routeIssues, ...ownerIssues, ...check(operations.alarmTeam, ['operations', 'alarmTeam'])];
};

/** All cross-field problems of a configuration, valid or not. */
const semanticIssues = (input: unknown): SemanticIssue[] => {
  if (!isRecord(input)) return [];
  return [
    ...uniqueTagPolicyNames(input),
    ...distinctCachePrefixes(input),
    ...distinctTemplatePrefixes(input),
    ...credentialsWhereRequired(input),
    ...pullThroughSecretNames(input),
    ...pullThroughCacheRuleQuota(input),
    ...definedTeams(input),
  ];
};

export { semanticIssues };
export type { ConfigPath, SemanticIssue };
