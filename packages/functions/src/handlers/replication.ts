import { AutomationId } from '@dockmaster/core/constants';
import { lazy } from '../runtime/memoize.js';
import type { ReplicationDeps } from '../replication/index.js';
import { dockmasterBusFromEnvironment } from './wiring/environment.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';

/** The replication worker: reports failed replications to the owning team. */
const createReplicationHandler = (deps: Partial<SqsBatchHandlerDeps & ReplicationDeps> = {}) => {
  const getAdapters = lazy((): ReplicationDeps => ({ bus: deps.bus ?? dockmasterBusFromEnvironment() }));
  return createSqsBatchHandler({
    automation: AutomationId.Replication,
    // On the first batch: the event schema (zod) and the automation's code cost nothing at cold start.
    load: async () => {
      const [{ ReplicationActionEventSchema }, { REPLICATION_IDEMPOTENCY_KEY, reportFailedReplication }] = await Promise.all([
        import('@dockmaster/core/events/cache'),
        import('../replication/index.js'),
      ]);
      return {
        schema: ReplicationActionEventSchema,
        idempotencyKey: REPLICATION_IDEMPOTENCY_KEY,
        processRecord: (event, context) => reportFailedReplication(event, context, getAdapters()),
      };
    },
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/replication.handler`. */
const handler = createReplicationHandler();

export { createReplicationHandler, handler };
