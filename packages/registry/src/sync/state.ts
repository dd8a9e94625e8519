import { z } from 'zod';
import { DigestSchema } from '../manifest/index.js';

/**
 * What a previous sync copied: per source registry, repository and tag, the digest it copied and the target
 * registry it went to. A re-run skips a tag whose source digest is unchanged without asking the target.
 */
const SyncStateEntrySchema = z.strictObject({
  /** Source registry root, e.g. `https://registry.example.com`. */
  source: z.string().min(1),
  repository: z.string().min(1),
  tag: z.string().min(1),
  digest: DigestSchema,
  /** Target registry root the image was copied to (same repository name). */
  target: z.string().min(1),
});

const SyncStateSchema = z.strictObject({
  version: z.literal(1),
  images: z.array(SyncStateEntrySchema),
});

type SyncStateEntry = z.infer<typeof SyncStateEntrySchema>;
type SyncState = z.infer<typeof SyncStateSchema>;

function emptySyncState(): SyncState {
  return { version: 1, images: [] };
}

/** Validates a state document read from disk; the error message says which entry and field are wrong. */
function parseSyncState(json: unknown): SyncState {
  const parsed = SyncStateSchema.safeParse(json);
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error), { cause: parsed.error });
  return parsed.data;
}

function stateKey(source: string, repository: string, tag: string): string {
  return `${source} ${repository}:${tag}`;
}

/** Keyed view of a state document, updated while a sync runs and turned back into a sorted document at the end. */
class SyncStateBook {
  private readonly entries = new Map<string, SyncStateEntry>();
  private changed = false;

  public constructor(state: SyncState) {
    for (const entry of state.images) this.entries.set(stateKey(entry.source, entry.repository, entry.tag), entry);
  }

  public get(source: string, repository: string, tag: string): SyncStateEntry | undefined {
    return this.entries.get(stateKey(source, repository, tag));
  }

  public record(entry: SyncStateEntry): void {
    const key = stateKey(entry.source, entry.repository, entry.tag);
    const previous = this.entries.get(key);
    if (previous?.digest === entry.digest && previous.target === entry.target) return;
    this.entries.set(key, entry);
    this.changed = true;
  }

  /** Forgets tags of `repository` that the source no longer lists, so the file does not grow forever. */
  public prune(source: string, repository: string, liveTags: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) {
      if (entry.source === source && entry.repository === repository && !liveTags.has(entry.tag)) {
        this.entries.delete(key);
        this.changed = true;
      }
    }
  }

  public get hasChanged(): boolean {
    return this.changed;
  }

  /** Sorted, so the file diffs cleanly between runs. */
  public toState(): SyncState {
    const images = [...this.entries.values()].sort(
      (a, b) => a.source.localeCompare(b.source) || a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag),
    );
    return { version: 1, images };
  }
}

export { emptySyncState, parseSyncState, SyncStateBook, SyncStateEntrySchema, SyncStateSchema };
export type { SyncState, SyncStateEntry };
