export { isDistributable } from './blob-copier.js';
export { createLimiter } from './limiter.js';
export type { Limiter } from './limiter.js';
export { emptySyncState, parseSyncState, SyncStateEntrySchema, SyncStateSchema } from './state.js';
export type { SyncState, SyncStateEntry } from './state.js';
export { DEFAULT_CONCURRENCY, syncRepositories } from './sync.js';
export { SkipReason } from './types.js';
export type { SyncImageResult, SyncOptions, SyncProgress, SyncRegistry, SyncReport, SyncRepositoryError } from './types.js';
