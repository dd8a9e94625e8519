import type { DockmasterConfig, PullThroughCacheConfig } from '../config/index.js';

/**
 * The pull-through-cache rule a repository belongs to: its name starts with the rule's prefix plus '/'
 * (ECR's prefixes carry an implicit trailing '/', so `k8s` owns `k8s/pause` but never `k8sfoo/pause`).
 * The config's semantic checks forbid nested prefixes, so at most one rule matches.
 */
const findCacheRule = (config: Pick<DockmasterConfig, 'pullThroughCache'>, repository: string): PullThroughCacheConfig | undefined =>
  config.pullThroughCache.find((rule) => repository.startsWith(`${rule.prefix}/`));

/**
 * The rule of a repository known to be under one (an allow-list entry's target): a missing rule is a bug in
 * the caller, not a user error.
 */
const requireCacheRule = (config: Pick<DockmasterConfig, 'pullThroughCache'>, repository: string): PullThroughCacheConfig => {
  const rule = findCacheRule(config, repository);
  if (rule === undefined) throw new Error(`internal: ${repository} is under no pullThroughCache prefix`);
  return rule;
};

export { findCacheRule, requireCacheRule };
