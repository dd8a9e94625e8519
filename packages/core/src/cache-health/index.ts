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
} from './sync-failure.js';
export type { CacheSyncFailedDetail, FailureInput } from './sync-failure.js';
