import type { DockmasterConfig, TagPolicyConfig } from '../config/index.js';
import { CacheMode, EcrTagMutability, TagMutability, TagMutabilityExclusionLimit } from '../constants.js';
import { compileGlob, expandBraces } from '../glob/index.js';
import { findTagPolicy } from './find-policy.js';
import { shadowedTagPolicies } from './shadowing.js';
import { TagImmutabilityDefault } from './types.js';

/*
 * A tag policy's `tagImmutability`, compiled into ECR's own setting where ECR can express it.
 *
 * ECR (PutImageTagMutability, since 2025-07): MUTABLE, IMMUTABLE, and IMMUTABLE_WITH_EXCLUSION /
 * MUTABLE_WITH_EXCLUSION with 1-5 exclusion filters of type WILDCARD, each `^[0-9a-zA-Z._*-]{1,128}$`.
 * A Dockmaster tag glob is expressible when its braces expand to plain wildcards (`*` only, no `?` or `[...]`)
 * and all of them together are at most 5. A tag has no '/', so a glob's `*` and ECR's `*` both match any run
 * of tag characters (ECR does not document whether `*` may match nothing; Dockmaster's may).
 */

/** How a policy's tag immutability is enforced. */
const TagImmutabilityEnforcement = {
  /** ECR refuses the overwriting push itself (ImageTagAlreadyExistsException). */
  Ecr: 'ecr',
  /** ECR cannot express it: the tag-policy worker detects the overwrite on the push event, after the fact. */
  PushEvent: 'push-event',
  /** The policy says nothing about immutability: Dockmaster leaves the repositories' setting alone. */
  None: 'none',
} as const;
type TagImmutabilityEnforcement = (typeof TagImmutabilityEnforcement)[keyof typeof TagImmutabilityEnforcement];

type TagMutabilityExclusionFilter = { filterType: typeof TagMutabilityExclusionLimit.filterType; filter: string };

/** ECR's setting in the SDK's field names (PutImageTagMutability, CreateRepository, DescribeRepositories). */
type EcrTagMutabilitySetting = {
  imageTagMutability: EcrTagMutability;
  imageTagMutabilityExclusionFilters?: TagMutabilityExclusionFilter[];
};

type TagImmutabilityPlan =
  | { enforcement: typeof TagImmutabilityEnforcement.Ecr; setting: EcrTagMutabilitySetting; reason: string }
  | { enforcement: typeof TagImmutabilityEnforcement.PushEvent; reason: string }
  | { enforcement: typeof TagImmutabilityEnforcement.None; reason: string };

type TagImmutabilityConfig = NonNullable<TagPolicyConfig['tagImmutability']>;

/** Why one `except` glob cannot be an ECR filter; undefined when its expansions can. */
const globProblem = (glob: string, expansions: readonly string[] | undefined): string | undefined => {
  if (expansions === undefined) return `"${glob}" expands to too many alternatives`;
  const bad = expansions.find((expansion) => !TagMutabilityExclusionLimit.filterPattern.test(expansion));
  if (bad === undefined) return undefined;
  if (/[?[\]]/.test(bad)) return `"${glob}" uses ? or [...], and ECR's filters know only the wildcard *`;
  return `"${bad}" is not an ECR filter (1-128 characters of 0-9 a-z A-Z . _ - *)`;
};

/**
 * What the policy compiles to: the ECR setting with its reason, or why ECR cannot hold it. Pure; the same
 * answer for `validate`, the deploy-time preview and the workers.
 */
const compileTagImmutability = (policy: Pick<TagPolicyConfig, 'tagImmutability'>): TagImmutabilityPlan => {
  const immutability = policy.tagImmutability;
  if (immutability === undefined) {
    return { enforcement: TagImmutabilityEnforcement.None, reason: 'no tagImmutability: the repositories keep their own setting' };
  }
  const immutableByDefault = immutability.default === TagImmutabilityDefault.Immutable;
  if (immutability.except.length === 0) {
    return {
      enforcement: TagImmutabilityEnforcement.Ecr,
      setting: { imageTagMutability: immutableByDefault ? TagMutability.Immutable : TagMutability.Mutable },
      reason: `every tag is ${immutability.default}: ECR's ${immutableByDefault ? TagMutability.Immutable : TagMutability.Mutable}`,
    };
  }
  const filters: string[] = [];
  for (const glob of immutability.except) {
    const expansions = expandBraces(glob, TagMutabilityExclusionLimit.maxFilters + 1);
    const problem = globProblem(glob, expansions);
    if (problem !== undefined) return { enforcement: TagImmutabilityEnforcement.PushEvent, reason: `ECR cannot express it: ${problem}` };
    for (const expansion of expansions ?? []) if (!filters.includes(expansion)) filters.push(expansion);
  }
  if (filters.length > TagMutabilityExclusionLimit.maxFilters) {
    return {
      enforcement: TagImmutabilityEnforcement.PushEvent,
      reason: `ECR cannot express it: except expands to ${filters.length} wildcard filters and ECR takes at most ${TagMutabilityExclusionLimit.maxFilters}`,
    };
  }
  const imageTagMutability = immutableByDefault ? EcrTagMutability.ImmutableWithExclusion : EcrTagMutability.MutableWithExclusion;
  return {
    enforcement: TagImmutabilityEnforcement.Ecr,
    setting: { imageTagMutability, imageTagMutabilityExclusionFilters: filters.map((filter) => ({ filterType: TagMutabilityExclusionLimit.filterType, filter })) },
    reason: `${filters.length} wildcard exclusion filter(s) (${filters.join(', ')}): ECR's ${imageTagMutability}`,
  };
};

/** Whether the policy makes `tag` immutable (what ECR would answer for the compiled setting, and the push-event check). */
const isImmutableTag = (immutability: TagImmutabilityConfig, tag: string): boolean => {
  const excepted = immutability.except.some((glob) => compileGlob(glob, 'tag')(tag));
  return (immutability.default === TagImmutabilityDefault.Immutable) !== excepted;
};

/** True when the setting makes at least one tag immutable. */
const makesTagsImmutable = (immutability: TagImmutabilityConfig): boolean =>
  immutability.default === TagImmutabilityDefault.Immutable || immutability.except.length > 0;

/** The pull-through-cache or copy prefix a repository is under: its settings belong to the cache-repository worker. */
const cachePrefixOf = (config: Pick<DockmasterConfig, 'pullThroughCache'>, repository: string): string | undefined =>
  config.pullThroughCache.find((rule) => repository.startsWith(`${rule.prefix}/`))?.prefix;

/**
 * The ECR setting Dockmaster keeps on a repository because of its tag policy, or undefined when it keeps none:
 * no policy applies, the policy has no tagImmutability or ECR cannot express it, or the repository is under a
 * pullThroughCache prefix (there `repositorySettings.tagMutability` decides, so two workers never fight).
 */
const desiredTagMutability = (
  config: Pick<DockmasterConfig, 'tagPolicies' | 'pullThroughCache'>,
  repository: string,
): { policy: string; setting: EcrTagMutabilitySetting } | undefined => {
  if (cachePrefixOf(config, repository) !== undefined) return undefined;
  const policy = findTagPolicy(config, repository);
  if (policy === null) return undefined;
  const plan = compileTagImmutability(policy);
  return plan.enforcement === TagImmutabilityEnforcement.Ecr ? { policy: policy.name, setting: plan.setting } : undefined;
};

/** Whether a repository's current setting (as DescribeRepositories reports it) is the desired one; filter order does not matter. */
const sameTagMutability = (current: { imageTagMutability?: string | undefined; imageTagMutabilityExclusionFilters?: readonly { filterType?: string | undefined; filter?: string | undefined }[] | undefined }, desired: EcrTagMutabilitySetting): boolean => {
  if (current.imageTagMutability !== desired.imageTagMutability) return false;
  const key = (filters: readonly { filterType?: string | undefined; filter?: string | undefined }[] | undefined): string =>
    JSON.stringify((filters ?? []).map((filter) => `${filter.filterType ?? ''}:${filter.filter ?? ''}`).sort());
  return key(current.imageTagMutabilityExclusionFilters) === key(desired.imageTagMutabilityExclusionFilters);
};

/** The characters of a repository glob before its first wildcard: every repository it matches starts with them. */
const literalPrefix = (glob: string): string => glob.slice(0, glob.search(/[*?[{]/) === -1 ? glob.length : glob.search(/[*?[{]/));

/** Cache prefixes (any mode) whose repositories a policy's globs may reach. */
const overlappingCachePrefixes = (config: Pick<DockmasterConfig, 'pullThroughCache'>, policy: Pick<TagPolicyConfig, 'repositories'>): string[] =>
  config.pullThroughCache
    .filter((rule) =>
      policy.repositories.some((glob) => {
        const literal = literalPrefix(glob);
        return literal.startsWith(`${rule.prefix}/`) || `${rule.prefix}/`.startsWith(literal);
      }),
    )
    .map((rule) => rule.prefix);

type ConfigWarning = { path: (string | number)[]; message: string };

/**
 * Warnings `validate` prints: never an immutable pull-through-cache prefix without one. ECR refreshes a cached
 * tag from the upstream only while the repository's tags are mutable, so an immutable cache tag silently
 * stops following the upstream.
 */
const tagImmutabilityWarnings = (config: Pick<DockmasterConfig, 'tagPolicies' | 'pullThroughCache'>): ConfigWarning[] => {
  const fromPolicies = config.tagPolicies.flatMap((policy, index): ConfigWarning[] => {
    if (policy.tagImmutability === undefined) return [];
    const prefixes = overlappingCachePrefixes(config, policy);
    if (prefixes.length === 0) return [];
    const cachePrefixes = prefixes.filter((prefix) => config.pullThroughCache.some((rule) => rule.prefix === prefix && rule.mode === CacheMode.Cache));
    const immutableCache = makesTagsImmutable(policy.tagImmutability) && cachePrefixes.length > 0;
    return [
      {
        path: ['tagPolicies', index, 'tagImmutability'],
        message:
          `is not applied to repositories under ${prefixes.map((prefix) => `${prefix}/`).join(', ')}: their tag mutability is the prefix's repositorySettings.tagMutability` +
          (immutableCache ? '; do not make pull-through cache repositories immutable: ECR refreshes a cached tag from the upstream only while it is mutable' : ''),
      },
    ];
  });
  const fromCaches = config.pullThroughCache.flatMap((rule, index): ConfigWarning[] =>
    rule.mode === CacheMode.Cache && rule.repositorySettings !== undefined && rule.repositorySettings.tagMutability !== TagMutability.Mutable
      ? [
          {
            path: ['pullThroughCache', index, 'repositorySettings', 'tagMutability'],
            message: `${rule.repositorySettings.tagMutability} on the pull-through cache prefix ${rule.prefix}/: ECR refreshes a cached tag from the upstream only while it is mutable, so ${rule.repositorySettings.tagMutability === TagMutability.Immutable ? 'cached tags stop' : 'the cached tags it makes immutable stop'} following ${rule.upstream}; AWS recommends MUTABLE here`,
          },
        ]
      : [],
  );
  return [...fromPolicies, ...fromCaches];
};

/**
 * One line per policy for `validate`: how its tag immutability is enforced, and why. A policy that earlier
 * policies shadow never applies (first match wins), so nothing of it is enforced: it says so instead.
 */
const describeTagImmutability = (config: Pick<DockmasterConfig, 'tagPolicies'>): string[] => {
  const shadowed = new Map(shadowedTagPolicies(config).map((policy) => [policy.index, policy.shadowedBy.map((earlier) => `"${earlier.name}"`).join(', ')]));
  return config.tagPolicies.flatMap((policy, index) => {
    const plan = compileTagImmutability(policy);
    if (plan.enforcement === TagImmutabilityEnforcement.None) return [];
    const shadowedBy = shadowed.get(index);
    if (shadowedBy !== undefined) {
      return [`tag policy "${policy.name}": tag immutability not applied: the policy never applies, it is shadowed by ${shadowedBy} (only the first matching policy applies; see the warning)`];
    }
    const how =
      plan.enforcement === TagImmutabilityEnforcement.Ecr
        ? 'enforced by ECR (Dockmaster sets it on the covered repositories and repairs drift)'
        : 'enforced on the push event by the tag-policy worker (after the push)';
    return [`tag policy "${policy.name}": tag immutability ${how}: ${plan.reason}`];
  });
};

export {
  cachePrefixOf,
  compileTagImmutability,
  describeTagImmutability,
  desiredTagMutability,
  isImmutableTag,
  makesTagsImmutable,
  sameTagMutability,
  TagImmutabilityEnforcement,
  tagImmutabilityWarnings,
};
export type { EcrTagMutabilitySetting, TagImmutabilityConfig, TagImmutabilityPlan, TagMutabilityExclusionFilter };
