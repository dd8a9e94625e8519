import * as z from 'zod';
import { DigestSchema } from '../manifest/index.js';

/**
 * What a previous sync copied: per source registry, repository and tag, the digest it copied and the target
 * registry (and, when renamed, target repository) it went to. A re-run skips a tag whose source digest is unchanged without asking the target.
 * The contract of the state file; state.ts reads valid files without loading this module (see isSyncState).
 */
const SyncStateEntrySchema = z.strictObject({
  /** Source registry root, e.g. `https://registry.example.com`. */
  source: z.string().min(1),
  repository: z.string().min(1),
  tag: z.string().min(1),
  digest: DigestSchema,
  /** Target registry root the image was copied to. */
  target: z.string().min(1),
  /** Target repository, only when it is not named like `repository`. */
  targetRepository: z.string().min(1).optional(),
});

const SyncStateSchema = z.strictObject({
  version: z.literal(1),
  images: z.array(SyncStateEntrySchema),
});

type SyncStateEntry = z.infer<typeof SyncStateEntrySchema>;
type SyncState = z.infer<typeof SyncStateSchema>;

/** A readable account of why a state document failed SyncStateSchema. */
const describeStateProblem = (error: z.ZodError): string => z.prettifyError(error);

export { describeStateProblem, SyncStateEntrySchema, SyncStateSchema };
export type { SyncState, SyncStateEntry };
