import { randomUUID } from 'node:crypto';
import { MessageKind } from '@dockmaster/core/constants';
import { EcrStorageClassChangeEventSchema } from '@dockmaster/core/events/ecr-image-action';
import { eventBridgeEvent } from '@dockmaster/core/events/envelope';
import { AwsDetailType, EventSource } from '@dockmaster/core/events/vocabulary';
import { WarmRequestSchema as CoreWarmRequestSchema, type WarmRequest } from '@dockmaster/core/prepopulate';
import * as z from 'zod';

/*
 * Everything the prepopulate queue receives. Three triggers plan a run (the config changed, a schedule
 * fired, someone asked); a run fans out one `warm` message per image and tag to the same queue. ECR's
 * archival of an allow-listed image (`ECR Image Action`, UPDATE_STORAGE_CLASS) asks for a restore.
 * Hand-written messages may omit `id`: one is generated, so two identical requests are not taken for a
 * duplicate by idempotency (which keys on it).
 */

const generatedId = z
  .string()
  .min(1)
  .default(() => randomUUID());

/** SSM `Parameter Store Change` for the config parameter (the rule filters on its name). */
const ConfigChangedEventSchema = eventBridgeEvent(
  z.object({ name: z.string().min(1), operation: z.string().min(1), type: z.string().optional() }),
).extend({ source: z.literal(EventSource.Ssm), 'detail-type': z.literal(AwsDetailType.ParameterStoreChange) });

/** A prefix's prepopulate schedule; its input transformer names the prefix (absent: every prefix). */
const PrepopulateScheduledEventSchema = eventBridgeEvent(z.object({ prefix: z.string().min(1).optional() })).extend({
  source: z.literal(EventSource.Events),
  'detail-type': z.literal(AwsDetailType.ScheduledEvent),
});

/** On demand: `{"kind":"prepopulate"}`, optionally for one prefix. */
const PrepopulateRequestSchema = z.object({
  kind: z.literal(MessageKind.Prepopulate),
  id: generatedId,
  prefix: z.string().min(1).optional(),
});

/** Warm one image and tag (sent by the fan-out, or by hand): core's message, its id generated when absent. */
const WarmRequestSchema = CoreWarmRequestSchema.extend({ id: generatedId });

const PrepopulateMessageSchema = z.union([
  ConfigChangedEventSchema,
  PrepopulateScheduledEventSchema,
  PrepopulateRequestSchema,
  WarmRequestSchema,
  EcrStorageClassChangeEventSchema,
]);

/** The message id, plus what it warms (fan-out ids already name it; by-hand ones may not). */
const PREPOPULATE_IDEMPOTENCY_KEY = '[id, kind, repository, tag]';

type ConfigChangedEvent = z.output<typeof ConfigChangedEventSchema>;
type PrepopulateScheduledEvent = z.output<typeof PrepopulateScheduledEventSchema>;
type PrepopulateRequest = z.output<typeof PrepopulateRequestSchema>;
type PrepopulateMessage = z.output<typeof PrepopulateMessageSchema>;

export {
  ConfigChangedEventSchema,
  PREPOPULATE_IDEMPOTENCY_KEY,
  PrepopulateMessageSchema,
  PrepopulateRequestSchema,
  PrepopulateScheduledEventSchema,
  WarmRequestSchema,
};
export type { ConfigChangedEvent, PrepopulateMessage, PrepopulateRequest, PrepopulateScheduledEvent, WarmRequest };
