import * as z from 'zod';

/**
 * The EventBridge envelope every event shares. `time` is kept as a string: AWS's own samples carry
 * impossible dates (2023-02-29), and nothing in Dockmaster decides on it.
 * Unknown extra fields are ignored (zod's default `object`), as AWS adds fields over time.
 */
const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
});

type EventBridgeEnvelope = z.output<typeof EventBridgeEnvelopeSchema>;

/** Builds the schema of one event type from its detail schema. */
const eventBridgeEvent = <Detail extends z.ZodType>(detail: Detail) => EventBridgeEnvelopeSchema.extend({ detail });

export { EventBridgeEnvelopeSchema, eventBridgeEvent };
export type { EventBridgeEnvelope };
