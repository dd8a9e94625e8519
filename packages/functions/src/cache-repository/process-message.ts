import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { cacheRepositoryTarget } from '@dockmaster/core/events/cache';
import { AwsDetailType, EcrActionResult } from '@dockmaster/core/events/vocabulary';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import type { CacheRepositoryMessage } from './messages.js';
import { type CacheRepositoryDeps, reconcileAll, reconcileRepository } from './reconcile.js';

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
  const target = cacheRepositoryTarget(message);
  const outcome = await reconcileRepository({ ...target, eventId: message.id }, context, deps);
  if (outcome === 'changed') context.metrics.addMetric('RepositoriesRepaired', MetricUnit.Count, 1);
  return { outcome, repository: target.repository };
};

export { processCacheRepositoryMessage };
