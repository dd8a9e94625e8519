// Nothing here loads zod (the state schema loads only to explain an invalid state file): `dockmaster sync`
// imports this barrel, and a no-op run is ~100 ms, of which zod would be a fifth. Keep it that way.
export { isDistributable } from './blob-copier.js';
export { createLimiter } from './limiter.js';
export type { Limiter } from './limiter.js';
export { createSyncRegistry } from './registry.js';
export type { SyncRegistryOptions } from './registry.js';
export { emptySyncState, parseSyncState } from './state.js';
export type { SyncState, SyncStateEntry } from './state-schema.js';
export { DEFAULT_CONCURRENCY, syncRepositories } from './sync.js';
export { SkipReason } from './types.js';
export type {
  ChosenTag,
  RepositoryCopy,
  SyncImageIdentity,
  SyncImageResult,
  SyncOptions,
  SyncProgress,
  SyncRegistry,
  SyncReport,
  SyncRepositoryError,
} from './types.js';
