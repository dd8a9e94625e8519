export {
  CACHE_HEALTH_ALERT_TTL_SECONDS,
  cacheHealthAlertKey,
  CacheFailureKind,
  cacheOwner,
  CacheSyncFailedDetailSchema,
  classifySyncFailure,
  describeCacheFailure,
  describeSyncFailure,
  isFailedSync,
  isUpstreamAuthenticationRefusal,
} from './sync-failure.js';
export type { CacheSyncFailedDetail, FailureInput } from './sync-failure.js';
