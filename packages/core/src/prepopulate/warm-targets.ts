import type { DockmasterConfig, PrepopulateImageConfig } from '../config/index.js';
import { cacheRepositoryFor } from './upstream.js';

type TagSelector = PrepopulateImageConfig['tags'];

/** One allow-listed image to keep warm in the cache. */
type WarmTarget = {
  prefix: string;
  upstream: string;
  /** The image as configured, e.g. pause or metrics-server/metrics-server. */
  image: string;
  /** The cache repository: `<prefix>/<image>` (`<prefix>/library/<image>` for Docker Hub official images). */
  repository: string;
  selector: TagSelector;
  platforms?: string[];
  owner?: string;
};

/** Every allow-listed image of every pull-through-cache rule, in config order. */
const listWarmTargets = (config: Pick<DockmasterConfig, 'pullThroughCache'>): WarmTarget[] =>
  config.pullThroughCache.flatMap((rule) =>
    (rule.prepopulate?.images ?? []).map((entry) => ({
      prefix: rule.prefix,
      upstream: rule.upstream,
      image: entry.image,
      repository: cacheRepositoryFor(rule, entry.image),
      selector: entry.tags,
      ...(entry.platforms ? { platforms: entry.platforms } : {}),
      ...(entry.owner ? { owner: entry.owner } : {}),
    })),
  );

export { listWarmTargets };
export type { TagSelector, WarmTarget };
