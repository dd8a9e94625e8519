import type { DockmasterConfig } from '../config/index.js';
import { matchesAnyGlob } from '../glob/index.js';

/**
 * The team a repository's scan alerts go to: the first `scanAlerts.routes` entry whose globs match;
 * else, for a pull-through-cache repository `<prefix>/<image>`, the `owner` of that allow-listed image;
 * else null (nobody in particular: the deployment's default destination).
 */
const routeTeam = (config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>, repository: string): string | null => {
  const route = config.scanAlerts?.routes.find((candidate) => matchesAnyGlob(candidate.repositories, repository));
  if (route) return route.team;
  for (const cache of config.pullThroughCache) {
    if (!repository.startsWith(`${cache.prefix}/`)) continue;
    const image = repository.slice(cache.prefix.length + 1);
    const entry = cache.prepopulate?.images.find((candidate) => candidate.image === image);
    if (entry?.owner) return entry.owner;
  }
  return null;
};

export { routeTeam };
