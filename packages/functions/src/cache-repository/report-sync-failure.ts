import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CACHE_HEALTH_ALERT_TTL_SECONDS, cacheHealthAlertKey, type CacheSyncFailedDetail, describeSyncFailure } from '@dockmaster/core/cache-health';
import { DockmasterEventType } from '@dockmaster/core/constants';
import type { PullThroughCacheActionEvent } from '@dockmaster/core/events/cache';
import { renderCacheSyncFailedMessage } from '@dockmaster/core/notifications';
import type { AlertOnce } from '../adapters/alert-once.js';
import type { DockmasterBus } from '../adapters/dockmaster-bus.js';
import type { WorkerContext } from '../runtime/sqs-batch-handler.js';

type CacheHealthDeps = { bus: DockmasterBus; alertOnce: AlertOnce };

type CacheHealthOutcome = 'reported' | 'already-reported' | 'not-cached';

/**
 * Tells the owning team of a cache failure once per failure kind and image (CACHE_HEALTH_ALERT_TTL_SECONDS):
 * claims the alert's record in the state table, then emits `Cache Sync Failed` with its readable message. The
 * claim comes first, so two events about one failure processed at once send one alert; when emitting fails the
 * claim is released and the error fails the record, which SQS retries. Shared by both places a failure is seen.
 */
const alertCacheFailure = async (detail: CacheSyncFailedDetail, context: WorkerContext, deps: CacheHealthDeps): Promise<Exclude<CacheHealthOutcome, 'not-cached'>> => {
  const key = cacheHealthAlertKey(detail);
  if (!(await deps.alertOnce.claim(key, CACHE_HEALTH_ALERT_TTL_SECONDS))) {
    context.logger.info(`cache sync failure already reported (${detail.kind}): ${detail.repository}`, { key, team: detail.team });
    context.metrics.addMetric('CacheSyncFailuresAlreadyReported', MetricUnit.Count, 1);
    return 'already-reported';
  }
  context.logger.warn(detail.advice, { repository: detail.repository, kind: detail.kind, failureCode: detail.failureCode, team: detail.team });
  try {
    await deps.bus.emitEvents([{ detailType: DockmasterEventType.CacheSyncFailed, detail: { ...detail, message: renderCacheSyncFailedMessage(detail) } }]);
  } catch (error) {
    // Not sent: give the claim back so that SQS's retry of this record sends it (a failed release leaves the
    // claim to expire: that one alert is then lost, never sent twice).
    await deps.alertOnce.release(key).catch((releaseError: unknown) => context.logger.error('could not release the cache health claim', { key, error: releaseError }));
    throw error;
  }
  context.metrics.addMetric('CacheSyncFailuresReported', MetricUnit.Count, 1);
  return 'reported';
};

/** A failed `ECR Pull Through Cache Action`: the owner hears of it once per failure kind and image. */
const reportSyncFailure = async (event: PullThroughCacheActionEvent, context: WorkerContext, deps: CacheHealthDeps): Promise<CacheHealthOutcome> => {
  const detail = describeSyncFailure(event, context.config);
  if (detail === undefined) return 'not-cached';
  return alertCacheFailure(detail, context, deps);
};

export { alertCacheFailure, reportSyncFailure };
export type { CacheHealthDeps, CacheHealthOutcome };
