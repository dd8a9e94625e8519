import type { DockmasterConfig } from '../config/index.js';
import { configWithCaches } from '../cache-repository/example-config.fixture.js';

/*
 * The copy prefix the rewrite and Kyverno tests share (the new-user review's config): mcr/ copies only
 * dotnet/runtime:8.0, dotnet/aspnet 8.0 pinned to PINNED_DIGEST plus latest, and a SemVer-selected dotnet/sdk.
 */

const PINNED_DIGEST = `sha256:${'a'.repeat(64)}`;

const copyPrefixConfig = (): DockmasterConfig =>
  configWithCaches([
    {
      prefix: 'mcr',
      upstream: 'mcr.microsoft.com',
      mode: 'copy',
      prepopulate: {
        images: [
          { image: 'dotnet/runtime', tags: ['8.0'] },
          { image: 'dotnet/aspnet', tags: [`8.0@${PINNED_DIGEST}`, 'latest'] },
          { image: 'dotnet/sdk', tags: { semver: '>=8.0.0 <9.0.0' } },
        ],
      },
    },
  ]);

export { copyPrefixConfig, PINNED_DIGEST };
