import { CacheMode } from '../constants.js';
import { describePullThroughUpstreams, pullThroughUpstream } from './pull-through-upstreams.js';
import type { DockmasterConfig } from './schema.js';
import type { SemanticIssue } from './semantic.js';

/*
 * Warnings about how a pullThroughCache entry gets its images (`mode`). Not errors: AWS adds pull-through
 * cache upstreams over time, and an ignored `platforms` list harms nothing.
 */

/** A cache-mode upstream ECR's pull-through cache cannot sync from: the rule would fail at deploy or on every pull. */
const unsupportedCacheUpstreams = (config: DockmasterConfig): SemanticIssue[] =>
  config.pullThroughCache.flatMap((entry, index) =>
    entry.mode === CacheMode.Cache && pullThroughUpstream(entry.upstream) === undefined
      ? [
          {
            path: ['pullThroughCache', index, 'upstream'],
            message:
              `ECR pull-through cache does not support upstream ${entry.upstream} (it supports ${describePullThroughUpstreams()}); ` +
              `set mode: copy to have Dockmaster copy the allow-listed images into plain repositories under ${entry.prefix}/ instead`,
          },
        ]
      : [],
  );

/** `platforms` selects what a warm pulls through the cache; a copy always takes the whole index, so the digest stays the upstream's. */
const ignoredCopyPlatforms = (config: DockmasterConfig): SemanticIssue[] =>
  config.pullThroughCache.flatMap((entry, index) =>
    entry.mode !== CacheMode.Copy
      ? []
      : (entry.prepopulate?.images ?? []).flatMap((image, imageIndex) =>
          image.platforms === undefined
            ? []
            : [
                {
                  path: ['pullThroughCache', index, 'prepopulate', 'images', imageIndex, 'platforms'],
                  message: `is ignored with mode: copy: a multi-platform image is copied whole (the index and every platform's image) so that its digest stays the upstream's; remove platforms`,
                },
              ],
        ),
  );

const modeWarnings = (config: DockmasterConfig): SemanticIssue[] => [...unsupportedCacheUpstreams(config), ...ignoredCopyPlatforms(config)];

export { modeWarnings };
