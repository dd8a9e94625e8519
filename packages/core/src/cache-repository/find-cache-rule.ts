import type { DockmasterConfig, PullThroughCacheConfig } from '../config/index.js';

/**
 * The pull-through-cache rule a repository belongs to: its name starts with the rule's prefix plus '/'
 * (ECR's prefixes carry an implicit trailing '/', so `k8s` owns `k8s/pause` but never `k8sfoo/pause`).
 * The config's semantic checks forbid nested prefixes, so at most one rule matches.
 */
const findCacheRule = (config: Pick<DockmasterConfig, 'pullThroughCache'>, repository: string): PullThroughCacheConfig | undefined =>
  config.pullThroughCache.find((rule) => repository.startsWith(`${rule.prefix}/`));

export { findCacheRule };
