import type { DockmasterConfig, PrepopulateImageConfig } from '../config/index.js';
import type { CacheMode } from '../constants.js';
import { cacheRepositoryFor } from './upstream.js';

type TagSelector = PrepopulateImageConfig['tags'];

/** One allow-listed image to keep warm in the cache, or (mode copy) to copy into the registry. */
type WarmTarget = {
  prefix: string;
  upstream: string;
  /** `cache`: warmed by pulling it through the pull-through cache; `copy`: copied from the upstream. */
  mode: CacheMode;
  /** The image as configured, e.g. pause or metrics-server/metrics-server. */
  image: string;
  /** The repository it lands in: `<prefix>/<image>` (`<prefix>/library/<image>` for Docker Hub official images). */
  repository: string;
  selector: TagSelector;
  platforms?: string[];
  owner?: string;
};

/** Every allow-listed image of every pullThroughCache entry, in config order. */
const listWarmTargets = (config: Pick<DockmasterConfig, 'pullThroughCache'>): WarmTarget[] =>
  config.pullThroughCache.flatMap((rule) =>
    (rule.prepopulate?.images ?? []).map((entry) => ({
      prefix: rule.prefix,
      upstream: rule.upstream,
      mode: rule.mode,
      image: entry.image,
      repository: cacheRepositoryFor(rule, entry.image),
      selector: entry.tags,
      ...(entry.platforms ? { platforms: entry.platforms } : {}),
      ...(entry.owner ?? rule.prepopulate?.defaultOwner ? { owner: entry.owner ?? rule.prepopulate?.defaultOwner } : {}),
    })),
  );

export { listWarmTargets };
export type { TagSelector, WarmTarget };
