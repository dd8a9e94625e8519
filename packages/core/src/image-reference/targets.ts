import type { DockmasterConfig } from '../config/index.js';
import { pullThroughUpstreamUrl } from '../config/pull-through-upstreams.js';
import type { CacheMode } from '../constants.js';
import { isDockerHub, upstreamRegistryHost } from '../prepopulate/upstream.js';
import { ecrRegistryHost } from './registry-host.js';

type RewriteConfig = Pick<DockmasterConfig, 'registry' | 'pullThroughCache'>;

/** Where images of one upstream registry are pulled from instead: one per upstream, shared by every output format. */
type RewriteTarget = {
  prefix: string;
  /** As configured (`docker.io`, `registry.k8s.io`). */
  upstream: string;
  /** The upstream's registry API host, lowercase: what references are matched on (`registry-1.docker.io` for Docker Hub). */
  registry: string;
  dockerHub: boolean;
  mode: CacheMode;
  /** `copy` prefixes hold only their allow-listed images (configured paths, `library/` added for Docker Hub). */
  images: string[];
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`: the prefix's place in the registry. */
  cacheBase: string;
};

/** The registry host a reference's registry is matched on: Docker Hub's aliases are one registry. */
const matchKey = (registry: string): string => upstreamRegistryHost(registry.trim().toLowerCase());

/**
 * One target per upstream registry, in config order. Two prefixes may cache the same upstream (for example with
 * different credentials); the first one in the file is where clusters pull from, in every output alike.
 */
const rewriteTargets = (config: RewriteConfig): RewriteTarget[] => {
  const host = ecrRegistryHost(config.registry);
  const seen = new Set<string>();
  const targets: RewriteTarget[] = [];
  for (const rule of config.pullThroughCache) {
    const registry = matchKey(rule.upstream);
    // A prefix that caches this very registry would rewrite the cache's own references again.
    if (seen.has(registry) || registry === host) continue;
    seen.add(registry);
    const dockerHub = isDockerHub(rule.upstream.trim());
    targets.push({
      prefix: rule.prefix,
      upstream: rule.upstream,
      registry,
      dockerHub,
      mode: rule.mode,
      images: (rule.prepopulate?.images ?? []).map(({ image }) => (dockerHub && !image.includes('/') ? `library/${image}` : image)),
      cacheBase: `${host}/${rule.prefix}`,
    });
  }
  return targets;
};

/** The `upstream` to write in a new pullThroughCache entry for a registry (ECR's name for Docker Hub). */
const upstreamToConfigure = (registry: string): string => pullThroughUpstreamUrl(registry.toLowerCase());

export { matchKey, rewriteTargets, upstreamToConfigure };
export type { RewriteConfig, RewriteTarget };
