import { randomUUID } from 'node:crypto';
import { AutomationId, MessageKind } from '@dockmaster/core/constants';
import { CacheRepositoryEventSchema } from '@dockmaster/core/events/cache';
import { eventBridgeEvent } from '@dockmaster/core/events/envelope';
import { AwsDetailType, EventSource } from '@dockmaster/core/events/vocabulary';
import * as z from 'zod';

/**
 * The reconcile rule's `Scheduled Event`. Its input transformer puts `{ automation, trigger }` into `detail`;
 * an untransformed schedule (detail `{}`) is accepted too, since this queue only ever gets this one schedule.
 */
const ReconcileScheduledEventSchema = eventBridgeEvent(
  z.object({
    automation: z.literal(AutomationId.CacheRepository).optional(),
    trigger: z.literal('reconcile').optional(),
  }),
).extend({ source: z.literal(EventSource.Events), 'detail-type': z.literal(AwsDetailType.ScheduledEvent) });

/**
 * A sweep asked for by hand: `aws sqs send-message --message-body '{"kind":"reconcile"}'`. Idempotency keys
 * on `id`; one is generated when the sender gave none, so a second request is not mistaken for a duplicate.
 */
const ReconcileRequestSchema = z.object({
  kind: z.literal(MessageKind.Reconcile),
  id: z
    .string()
    .min(1)
    .default(() => randomUUID()),
});

/** Everything the cache-repository queue receives. */
const CacheRepositoryMessageSchema = z.union([CacheRepositoryEventSchema, ReconcileScheduledEventSchema, ReconcileRequestSchema]);

/** Event id plus the repository it names (null for sweeps): one event is handled once per repository. */
const CACHE_REPOSITORY_IDEMPOTENCY_KEY =
  '[id, detail."repository-name" || detail.requestParameters.repositoryName || detail.serviceEventDetails.repositoryName]';

type ReconcileScheduledEvent = z.output<typeof ReconcileScheduledEventSchema>;
type ReconcileRequest = z.output<typeof ReconcileRequestSchema>;
type CacheRepositoryMessage = z.output<typeof CacheRepositoryMessageSchema>;

export { CACHE_REPOSITORY_IDEMPOTENCY_KEY, CacheRepositoryMessageSchema, ReconcileRequestSchema, ReconcileScheduledEventSchema };
export type { CacheRepositoryMessage, ReconcileRequest, ReconcileScheduledEvent };
