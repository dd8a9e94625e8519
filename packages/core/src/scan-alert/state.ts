import * as z from 'zod';

/**
 * What was last alerted for one image digest. The worker stores it (keyed by digest) and hands it back
 * as `previous`; it is parsed with this schema when read back, as stored data outlives code versions.
 */
const AlertStateSchema = z.object({
  version: z.literal(1),
  repository: z.string().min(1),
  digest: z.string().min(1),
  /** `<id>|<package>` of every finding alerted and still open, sorted. */
  findingKeys: z.array(z.string()),
  /** dedupeKey of that set; null when nothing is open. */
  dedupeKey: z.string().nullable(),
  /** ISO-8601 time of the last alert sent for this digest. */
  lastAlertedAt: z.string().optional(),
  /** ISO-8601 time this state was computed. */
  updatedAt: z.string(),
  /**
   * Set when Inspector reported that it stopped scanning the image (Inspector2 Coverage INACTIVE), cleared by the
   * next scan result or ACTIVE finding: a finding Inspector closes meanwhile expired rather than being fixed.
   */
  inactive: z.object({ since: z.string(), reason: z.string().optional() }).optional(),
});

type AlertState = z.output<typeof AlertStateSchema>;

export { AlertStateSchema };
export type { AlertState };
