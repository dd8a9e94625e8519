import { randomUUID } from 'node:crypto';
import { AutomationId, MessageKind } from '@dockmaster/core/constants';
import { EcrImageActionEventSchema } from '@dockmaster/core/events/ecr-image-action';
import { eventBridgeEvent } from '@dockmaster/core/events/envelope';
import { AwsDetailType, EventSource } from '@dockmaster/core/events/vocabulary';
import * as z from 'zod';

/** The tag-mutability sweep's `Scheduled Event` (input transformer: `{ automation, trigger }` in detail). */
const TagPolicyReconcileEventSchema = eventBridgeEvent(
  z.object({
    automation: z.literal(AutomationId.TagPolicy).optional(),
    trigger: z.literal('reconcile').optional(),
  }),
).extend({ source: z.literal(EventSource.Events), 'detail-type': z.literal(AwsDetailType.ScheduledEvent) });

/** A sweep asked for by hand: `aws sqs send-message --message-body '{"kind":"reconcile"}'` on the tag-policy queue. */
const TagPolicyReconcileRequestSchema = z.object({
  kind: z.literal(MessageKind.Reconcile),
  id: z
    .string()
    .min(1)
    .default(() => randomUUID()),
});

/** Everything the tag-policy queue receives: push events, and the sweep. */
const TagPolicyMessageSchema = z.union([EcrImageActionEventSchema, TagPolicyReconcileEventSchema, TagPolicyReconcileRequestSchema]);
type TagPolicyMessage = z.output<typeof TagPolicyMessageSchema>;

export { TagPolicyMessageSchema, TagPolicyReconcileEventSchema, TagPolicyReconcileRequestSchema };
export type { TagPolicyMessage };
