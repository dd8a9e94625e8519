import { isDigest } from '../manifest/digest.js';
import { compareText } from './order.js';
import type { SyncState, SyncStateEntry } from './state-schema.js';

function emptySyncState(): SyncState {
  return { version: 1, images: [] };
}

const ENTRY_KEYS = ['source', 'repository', 'tag', 'digest', 'target'] as const;

function hasExactlyKeys(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}

/**
 * Accepts exactly the documents SyncStateSchema accepts, and only those it can say yes to quickly: it never
 * accepts more (strict keys, non-empty strings, OCI digests, version 1). A hand-written fast path because a
 * no-op `dockmaster sync --state` takes ~100 ms and loading zod would add a fifth; zod still explains every rejection.
 */
function isSyncState(json: unknown): json is SyncState {
  if (!hasExactlyKeys(json, ['version', 'images']) || json.version !== 1 || !Array.isArray(json.images)) return false;
  return json.images.every(
    (entry: unknown) =>
      hasExactlyKeys(entry, ENTRY_KEYS) &&
      ENTRY_KEYS.every((key) => typeof entry[key] === 'string' && entry[key] !== '') &&
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
      (a, b) => compareText(a.source, b.source) || compareText(a.repository, b.repository) || compareText(a.tag, b.tag),
    );
    return { version: 1, images };
  }
}

export { emptySyncState, isSyncState, parseSyncState, SyncStateBook };
export type { SyncState, SyncStateEntry };
