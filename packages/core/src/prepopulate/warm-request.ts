import * as z from 'zod';
import { MessageKind } from '../constants.js';

/*
 * The message that warms one image and tag: the fan-out sends it to the prepopulate queue (through the
 * functions' warm-queue adapter) and the worker reads it back. Defined here so the adapter and the automation
 * share it without the adapter importing the automation; the worker extends `id` with a generated default
 * for hand-written messages (core stays free of randomness).
 */
const WarmRequestSchema = z.object({
  kind: z.literal(MessageKind.Warm),
  id: z.string().min(1),
  /** The cache repository, `<prefix>/<image>`. */
  repository: z.string().min(1),
  tag: z.string().min(1),
  platforms: z.array(z.string().min(1)).min(1).optional(),
  owner: z.string().min(1).optional(),
  pinnedDigest: z.string().regex(/^sha256:[a-f0-9]{64}$/).optional(),
});

type WarmRequest = z.output<typeof WarmRequestSchema>;

export { WarmRequestSchema };
export type { WarmRequest };
