import { AutomationId } from '@dockmaster/core/constants';
import { ReplicationActionEventSchema } from '@dockmaster/core/events/cache';
import { dockmasterBusFromEnvironment } from '../adapters/dockmaster-bus.js';
import { lazy } from '../runtime/memoize.js';
import { REPLICATION_IDEMPOTENCY_KEY, reportFailedReplication, type ReplicationDeps } from '../replication/index.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from '../runtime/sqs-batch-handler.js';

/** The replication worker: reports failed replications to the owning team. */
const createReplicationHandler = (deps: Partial<SqsBatchHandlerDeps & ReplicationDeps> = {}) => {
  const getAdapters = lazy((): ReplicationDeps => ({ bus: deps.bus ?? dockmasterBusFromEnvironment() }));
  return createSqsBatchHandler({
    automation: AutomationId.Replication,
    schema: ReplicationActionEventSchema,
    idempotencyKey: REPLICATION_IDEMPOTENCY_KEY,
    processRecord: (event, context) => reportFailedReplication(event, context, getAdapters()),
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/replication.handler`. */
const handler = createReplicationHandler();

export { createReplicationHandler, handler };
