import type { PullThroughCacheConfig } from '../config/index.js';
import { type EcrTagMutability, TagMutability } from '../constants.js';

/** The per-repository settings Dockmaster manages besides the policies. */
type RepositorySettings = { scanOnPush: boolean; tagMutability: EcrTagMutability; tagMutabilityExclusionFilters?: string[] };

/**
 * The settings a rule asks for. Without a `repositorySettings` block the config schema's own defaults
 * apply (scan on push, MUTABLE: AWS recommends MUTABLE for cache repositories so ECR can update a cached tag).
 */
const renderRepositorySettings = (rule: Pick<PullThroughCacheConfig, 'repositorySettings'>): RepositorySettings => ({
  scanOnPush: rule.repositorySettings?.scanOnPush ?? true,
  tagMutability: rule.repositorySettings?.tagMutability ?? TagMutability.Mutable,
  ...(rule.repositorySettings?.tagMutabilityExclusionFilters === undefined ? {} : { tagMutabilityExclusionFilters: rule.repositorySettings.tagMutabilityExclusionFilters }),
});

export { renderRepositorySettings };
export type { EcrTagMutability, RepositorySettings, TagMutability };
