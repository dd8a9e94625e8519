import type { DockmasterConfig, PrepopulateImageConfig } from '../config/index.js';
import { findCacheRule } from '../cache-repository/find-cache-rule.js';
import type { CacheMode } from '../constants.js';
import { owningTeam } from '../ownership/index.js';
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

/** The allow-list entry of the repository, or an ad-hoc one (just this tag) for a by-hand warm of an image not on the list; undefined outside every cache prefix. */
const warmTargetFor = (config: Pick<DockmasterConfig, 'pullThroughCache'>, repository: string, tag: string): WarmTarget | undefined => {
  const listed = listWarmTargets(config).find((target) => target.repository === repository);
  if (listed) return listed;
  const rule = findCacheRule(config, repository);
  if (!rule) return undefined;
  return {
    prefix: rule.prefix,
    upstream: rule.upstream,
    mode: rule.mode,
    image: repository.slice(rule.prefix.length + 1),
    repository,
    selector: [tag],
  };
};

/**
 * Who hears about an image: the allow-list entry's owner, its allow-list's defaultOwner, else the team whose
 * scanAlerts route covers the repository (owningTeam). `validate` warns about images that reach no one.
 */
const warmOwner = (config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>, repository: string): string | undefined =>
  owningTeam(config, repository) ?? undefined;

export { listWarmTargets, warmOwner, warmTargetFor };
export type { TagSelector, WarmTarget };
