export { createCacheRegistry } from '../adapters/cache-registry.js';
export type { CacheRegistry, CacheRegistryOptions } from '../adapters/cache-registry.js';
export { createLimiter, mapWithConcurrency } from '../runtime/concurrency.js';
export { copyImage } from './copy-image.js';
export type { CopyImageInput } from './copy-image.js';
export { ensureCopyRepository } from './ensure-copy-repository.js';
export type { EnsureCopyRepositoryInput } from './ensure-copy-repository.js';
export type { Limiter } from '../runtime/concurrency.js';
export { BLOB_CONCURRENCY_PER_UPSTREAM } from './constants.js';
export { imagePrepopulatedEvent, imagePrepopulationFailedEvent } from './events.js';
export type { ImageIdentity, ImagePrepopulatedDetail, ImagePrepopulationFailedDetail } from './events.js';
export {
  ConfigChangedEventSchema,
  PREPOPULATE_IDEMPOTENCY_KEY,
  PrepopulateMessageSchema,
  PrepopulateRequestSchema,
  PrepopulateScheduledEventSchema,
  WarmRequestSchema,
} from './messages.js';
export type { ConfigChangedEvent, PrepopulateMessage, PrepopulateRequest, PrepopulateScheduledEvent, WarmRequest } from './messages.js';
export { planRun, processPrepopulateMessage, warmOne } from './process-message.js';
export type { PrepopulateDeps, RunCause } from './process-message.js';
export { createEcrRegistryEndpoint, EcrAuthorizationError, staticRegistryEndpoint, TOKEN_RENEWAL_MARGIN_MS } from '../adapters/registry-endpoint.js';
export type { EcrRegistryEndpointOptions, RegistryEndpoint, RegistryEndpointProvider } from '../adapters/registry-endpoint.js';
export { describeSelector, resolveCopyTarget, resolveTarget } from './resolve-target.js';
export type { ResolvedTarget } from './resolve-target.js';
export { createUpstreamEndpoint, upstreamBaseUrl, UpstreamCredentialsError } from '../adapters/upstream-endpoint.js';
export type { UpstreamEndpointOptions } from '../adapters/upstream-endpoint.js';
export { classifyWarmFailure, FailureRun, pinMovedFailure, upstreamCredentialsFailure, WarmFailureReason, warmFailure } from './warm-failure.js';
export type { FailureSubject, RegistryFailure, WarmFailure } from './warm-failure.js';
export { restoreArchivedImage } from './restore-archived.js';
export type { ArchivedImageRestoredDetail, RestoreDeps } from './restore-archived.js';
export { warmImage } from './warm-image.js';
export type { WarmedImage, WarmImageInput, WarmImageResult } from './warm-image.js';
export { createSqsWarmQueue, SEND_MESSAGE_BATCH_MAX, WarmQueueError } from '../adapters/warm-queue.js';
export type { SqsWarmQueueOptions, WarmQueue } from '../adapters/warm-queue.js';
