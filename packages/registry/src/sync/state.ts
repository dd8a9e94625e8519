import { isDigest } from '../manifest/digest.js';
import { compareText } from './order.js';
import type { SyncState, SyncStateEntry } from './state-schema.js';

function emptySyncState(): SyncState {
  return { version: 1, images: [] };
}

const ENTRY_KEYS = ['source', 'repository', 'tag', 'digest', 'target'] as const;
const OPTIONAL_ENTRY_KEYS = ['targetRepository'] as const;

/** Every key of `keys`, any of `optional`, and nothing else. */
function hasExactlyKeys(value: unknown, keys: readonly string[], optional: readonly string[] = []): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value);
  const present = optional.filter((key) => Object.hasOwn(value, key));
  return own.length === keys.length + present.length && keys.every((key) => Object.hasOwn(value, key));
}

const isNonEmptyString = (value: unknown): boolean => typeof value === 'string' && value !== '';

/**
 * Accepts exactly the documents SyncStateSchema accepts, and only those it can say yes to quickly: it never
 * accepts more (strict keys, non-empty strings, OCI digests, version 1). A hand-written fast path because a
 * no-op `dockmaster sync --state` takes ~100 ms and loading zod would add a fifth; zod still explains every rejection.
 */
function isSyncState(json: unknown): json is SyncState {
  if (!hasExactlyKeys(json, ['version', 'images']) || json.version !== 1 || !Array.isArray(json.images)) return false;
  return json.images.every(
    (entry: unknown) =>
      hasExactlyKeys(entry, ENTRY_KEYS, OPTIONAL_ENTRY_KEYS) &&
      ENTRY_KEYS.every((key) => isNonEmptyString(entry[key])) &&
      OPTIONAL_ENTRY_KEYS.every((key) => !Object.hasOwn(entry, key) || isNonEmptyString(entry[key])) &&
      isDigest(entry.digest as string),
  );
}

/** Validates a state document read from disk; the error message says which entry and field are wrong. */
async function parseSyncState(json: unknown): Promise<SyncState> {
  if (isSyncState(json)) return json;
  const { describeStateProblem, SyncStateSchema } = await import('./state-schema.js');
  const parsed = SyncStateSchema.safeParse(json);
  if (!parsed.success) throw new Error(describeStateProblem(parsed.error), { cause: parsed.error });
  return parsed.data;
}

/** One entry per source image and target repository; a target named like the source adds nothing to the key. */
function stateKey(source: string, repository: string, tag: string, targetRepository: string = repository): string {
  return targetRepository === repository ? `${source} ${repository}:${tag}` : `${source} ${repository}:${tag} ${targetRepository}`;
}

/** Keyed view of a state document, updated while a sync runs and turned back into a sorted document at the end. */
class SyncStateBook {
  private readonly entries = new Map<string, SyncStateEntry>();
  private changed = false;

  public constructor(state: SyncState) {
    for (const entry of state.images) this.entries.set(stateKey(entry.source, entry.repository, entry.tag, entry.targetRepository), entry);
  }

  public get(source: string, repository: string, tag: string, targetRepository?: string): SyncStateEntry | undefined {
    return this.entries.get(stateKey(source, repository, tag, targetRepository));
  }

  public record(entry: SyncStateEntry): void {
    const key = stateKey(entry.source, entry.repository, entry.tag, entry.targetRepository);
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
      (a, b) =>
        compareText(a.source, b.source) ||
        compareText(a.repository, b.repository) ||
        compareText(a.tag, b.tag) ||
        compareText(a.targetRepository ?? a.repository, b.targetRepository ?? b.repository),
    );
    return { version: 1, images };
  }
}

export { emptySyncState, isSyncState, parseSyncState, SyncStateBook };
export type { SyncState, SyncStateEntry };
