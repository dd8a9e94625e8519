import type { DockmasterConfig } from '../config/index.js';
import { matchesAnyGlob } from '../glob/index.js';
import { cacheRepositoryFor } from '../prepopulate/upstream.js';

/**
 * The owner of the allow-listed image cached at `repository`: the entry's `owner`, else its allow-list's
 * `defaultOwner`. Compared by cache repository, so a Docker Hub official image (`nginx` in
 * `<prefix>/library/nginx`) is found too.
 */
const allowListOwner = (config: Pick<DockmasterConfig, 'pullThroughCache'>, repository: string): string | null => {
  for (const cache of config.pullThroughCache) {
    if (!repository.startsWith(`${cache.prefix}/`)) continue;
    const entry = cache.prepopulate?.images.find((candidate) => cacheRepositoryFor(cache, candidate.image) === repository);
    const owner = entry === undefined ? undefined : (entry.owner ?? cache.prepopulate?.defaultOwner);
    if (owner) return owner;
  }
  return null;
};

/**
 * The team that owns a repository: its scan alerts, tag policy violations and prepopulation failures go there.
 * A cached image whose allow-list entry names an `owner` (or whose allow-list names a `defaultOwner`) goes to
 * that owner: the allow-list is the most specific statement of ownership, and routes usually end in a
 * catch-all (`**`) that would otherwise always win. Else the first `scanAlerts.routes` entry whose globs match;
 * else null (nobody in particular: the deployment's default destination, which `validate` warns about for
 * allow-listed images).
 */
const owningTeam = (config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>, repository: string): string | null => {
  const owner = allowListOwner(config, repository);
  if (owner) return owner;
  const route = config.scanAlerts?.routes.find((candidate) => matchesAnyGlob(candidate.repositories, repository));
  return route?.team ?? null;
};

export { owningTeam };
