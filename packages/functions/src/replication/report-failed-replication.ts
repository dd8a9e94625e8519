import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DockmasterEventType } from '@dockmaster/core/constants';
import type { ReplicationActionEvent } from '@dockmaster/core/events/cache';
import { EcrActionResult } from '@dockmaster/core/events/vocabulary';
import { renderReplicationFailedMessage } from '@dockmaster/core/notifications';
import { describeReplicationFailure } from '@dockmaster/core/replication';
import type { DockmasterBus } from '../adapters/dockmaster-bus.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';

type ReplicationDeps = { bus: DockmasterBus };

/** Idempotency key: one report per event and image, however often EventBridge and SQS deliver it. */
const REPLICATION_IDEMPOTENCY_KEY = '[id, detail."repository-name", detail."image-digest"]';

/** Turns a failed `ECR Replication Action` into a `Replication Failed` event (with its readable message) for the owning team. */
const reportFailedReplication = async (
  event: ReplicationActionEvent,
  context: WorkerContext,
  deps: ReplicationDeps,
): Promise<RecordOutcome> => {
  if (event.detail.result !== EcrActionResult.Failed) {
    context.logger.info('skipped: not a failed replication', { result: event.detail.result });
    return { outcome: 'skipped' };
  }
  const detail = describeReplicationFailure(event, context.config);
  context.logger.warn(detail.advice, { repository: detail.repository, digest: detail.digest, team: detail.team });
  // `message` is what the owning team's e-mail says (the team topic's input transformer sends subject and body).
  await deps.bus.emitEvents([{ detailType: DockmasterEventType.ReplicationFailed, detail: { ...detail, message: renderReplicationFailedMessage(detail) } }]);
  context.metrics.addMetric('ReplicationsFailed', MetricUnit.Count, 1);
  return { outcome: 'reported', team: detail.team };
};

export { REPLICATION_IDEMPOTENCY_KEY, reportFailedReplication };
export type { ReplicationDeps };
