export { DistributionStore, MANIFEST_MEDIA_TYPES } from './distribution-store.js';
export type { DistributionLocation } from './distribution-store.js';
export { ecrService } from './ecr-operations.js';
export { LocalEcr } from './local-ecr.js';
export type { ImageAction, LocalEcrOptions, PullThroughCacheRuleDeclaration, RecordedScanFindings, RepositoryCreated, RepositoryCreator, RepositoryState } from './local-ecr.js';
export { verifyAuthorizationToken } from './signed-tokens.js';
export { ImageTagMutability, isTagImmutable } from './tag-mutability.js';
export type { TagMutabilityExclusionFilter, TagMutabilitySettings } from './tag-mutability.js';
