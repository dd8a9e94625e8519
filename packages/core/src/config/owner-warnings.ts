import { owningTeam } from '../ownership/index.js';
import { cacheRepositoryFor } from '../prepopulate/upstream.js';
import type { DockmasterConfig } from './schema.js';
import type { SemanticIssue } from './semantic.js';

/**
 * Allow-listed images whose prepopulation failures would reach no team: no `owner`, no `defaultOwner` on
 * their allow-list, and no `scanAlerts.routes` entry for their repository. A warning, not an error: the
 * failure is still logged and counted, it only notifies nobody.
 */
const unownedImageWarnings = (config: DockmasterConfig): SemanticIssue[] =>
  config.pullThroughCache.flatMap((entry, index) =>
    (entry.prepopulate?.images ?? []).flatMap((image, imageIndex) => {
      const repository = cacheRepositoryFor(entry, image.image);
      if (owningTeam(config, repository) !== null) return [];
      return [
        {
          path: ['pullThroughCache', index, 'prepopulate', 'images', imageIndex],
          message:
            `a prepopulation failure of ${repository} would reach no team: set owner on this entry or ` +
            `prepopulate.defaultOwner on ${entry.prefix}, or add a scanAlerts.routes entry that matches ${repository}`,
        },
      ];
    }),
  );

export { unownedImageWarnings };
