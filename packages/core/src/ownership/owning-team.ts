import type { DockmasterConfig } from '../config/index.js';
import { matchesAnyGlob } from '../glob/index.js';

/** The `owner` of the allow-listed image cached at `repository` (`<prefix>/<image>`), if it names one. */
const allowListOwner = (config: Pick<DockmasterConfig, 'pullThroughCache'>, repository: string): string | null => {
  for (const cache of config.pullThroughCache) {
    if (!repository.startsWith(`${cache.prefix}/`)) continue;
    const image = repository.slice(cache.prefix.length + 1);
    const entry = cache.prepopulate?.images.find((candidate) => candidate.image === image);
    if (entry?.owner) return entry.owner;
  }
  return null;
};

/**
 * The team that owns a repository: its scan alerts, tag policy violations and failures go there. A cached image whose allow-list entry names an `owner` goes to
 * that owner: the entry is the most specific statement of ownership, and routes usually end in a catch-all
 * (`**`) that would otherwise always win. Else the first `scanAlerts.routes` entry whose globs match; else null
 * (nobody in particular: the deployment's default destination).
 */
const owningTeam = (config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>, repository: string): string | null => {
  const owner = allowListOwner(config, repository);
  if (owner) return owner;
  const route = config.scanAlerts?.routes.find((candidate) => matchesAnyGlob(candidate.repositories, repository));
  return route?.team ?? null;
};

export { owningTeam };
