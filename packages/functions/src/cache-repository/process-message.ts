import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { isFailedSync } from '@dockmaster/core/cache-health';
import { cacheRepositoryTarget } from '@dockmaster/core/events/cache';
import { AwsDetailType, EcrActionResult } from '@dockmaster/core/events/vocabulary';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import { alertEveryTime } from '../adapters/alert-every-time.js';
import type { CacheRepositoryMessage } from './messages.js';
import { type CacheRepositoryDeps, reconcileAll, reconcileRepository } from './reconcile.js';
import { reportSyncFailure } from './report-sync-failure.js';

/** One message of the cache-repository queue: an ECR event about one repository, or a sweep of all of them. */
const processCacheRepositoryMessage = async (
  message: CacheRepositoryMessage,
  context: WorkerContext,
  deps: CacheRepositoryDeps,
): Promise<RecordOutcome> => {
  if ('kind' in message) return reconcileAll(context, deps, { eventId: message.id });
  if (message['detail-type'] === AwsDetailType.ScheduledEvent) return reconcileAll(context, deps, { eventId: message.id });

  // A failed replication created nothing to configure (the rule only routes SUCCESS; this is the second line).
  if (message['detail-type'] === AwsDetailType.EcrReplicationAction && message.detail.result !== EcrActionResult.Success) {
    context.logger.info('skipped: the replication failed', { repository: message.detail['repository-name'], result: message.detail.result });
    return { outcome: 'skipped', reason: 'replication failed' };
  }
  // Cache health: a failed sync goes to the owner (once per kind and image); the repository is still configured,
  // since ECR may have created it before the sync failed.
  const health =
    message['detail-type'] === AwsDetailType.EcrPullThroughCacheAction && isFailedSync(message)
      ? await reportSyncFailure(message, context, { bus: deps.bus, alertOnce: deps.alertOnce ?? alertEveryTime })
      : undefined;
  const target = cacheRepositoryTarget(message);
  const outcome = await reconcileRepository({ ...target, eventId: message.id }, context, deps);
  if (outcome === 'changed') context.metrics.addMetric('RepositoriesRepaired', MetricUnit.Count, 1);
  return { outcome, repository: target.repository, ...(health === undefined ? {} : { syncFailure: health }) };
};

export { processCacheRepositoryMessage };
