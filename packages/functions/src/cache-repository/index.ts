export { configureRepository } from './configure-repository.js';
export type { ConfigureRepositoryInput, ConfigureRepositoryResult, PolicyChange, RepositoryChanges } from './configure-repository.js';
export { cacheRepositoryChangeEvent } from './events.js';
export type { CacheRepositoryCause, CacheRepositoryChangeDetail } from './events.js';
export { CACHE_REPOSITORY_IDEMPOTENCY_KEY, CacheRepositoryMessageSchema, ReconcileRequestSchema, ReconcileScheduledEventSchema } from './messages.js';
export type { CacheRepositoryMessage, ReconcileRequest, ReconcileScheduledEvent } from './messages.js';
export { processCacheRepositoryMessage } from './process-message.js';
export { reconcileAll, reconcileRepository, SWEEP_CONCURRENCY } from './reconcile.js';
export type { CacheRepositoryDeps, RepositoryRequest, SweepCounts } from './reconcile.js';
