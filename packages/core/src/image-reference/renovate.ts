import { DOCKER_HUB_DEFAULT_DOMAIN } from './constants.js';
import { rewriteTargets, type RewriteConfig } from './targets.js';

/**
 * Renovate's `registryAliases`: manifests that already name the cache (`<account>.dkr.ecr.<region>.amazonaws.com/k8s/pause`)
 * are looked up upstream (`registry.k8s.io/pause`), where every version is, rather than in the cache, which holds only
 * what was pulled. Renovate applies the aliases in order as prefix replacements, so longer keys come first: a prefix
 * must never be replaced by a shorter one that it starts with.
 */
const renderRenovateAliases = (config: RewriteConfig): { registryAliases: Record<string, string> } => {
  const entries = rewriteTargets(config)
    .map((target) => [target.cacheBase, target.dockerHub ? DOCKER_HUB_DEFAULT_DOMAIN : target.registry] as const)
    .sort(([a], [b]) => b.length - a.length || a.localeCompare(b));
  return { registryAliases: Object.fromEntries(entries) };
};

export { renderRenovateAliases };
