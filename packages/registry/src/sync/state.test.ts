import { describe, expect, it } from 'vitest';
import { SyncStateSchema } from './state-schema.js';
import { isSyncState, parseSyncState, SyncStateBook } from './state.js';

const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const entry = (repository: string, tag: string, hex: string) => ({ source: 'http://src', repository, tag, digest: digest(hex), target: 'http://dst' });

describe('sync state', () => {
  it('parses a valid document and rejects one with a bad digest, naming the entry', async () => {
    // Prepare
    const valid = { version: 1, images: [entry('team/web', 'v1', 'a')] };
    const invalid = { version: 1, images: [{ ...entry('team/web', 'v1', 'a'), digest: 'sha256:nope' }] };

    // Act
    const parsed = await parseSyncState(valid);

    // Assess
    expect(parsed).toEqual(valid);
    await expect(parseSyncState(invalid)).rejects.toThrow(/images.*0.*digest|digest/);
  });

  it('accepts by its fast path exactly what the zod schema accepts', () => {
    // Prepare
    const good = entry('team/web', 'v1', 'a');
    const documents: unknown[] = [
      { version: 1, images: [] },
      { version: 1, images: [good] },
      { version: 1, images: [{ ...good, digest: `sha512:${'b'.repeat(128)}` }] },
      { version: 2, images: [good] },
      { version: 1, images: [good], extra: true },
      { version: 1, images: [{ ...good, extra: 'x' }] },
      { version: 1, images: [{ ...good, tag: '' }] },
      { version: 1, images: [{ ...good, target: 3 }] },
      { version: 1, images: [{ ...good, digest: 'sha256:ABC' }] },
      { version: 1, images: [{ source: 'http://src', repository: 'r', tag: 't', digest: digest('a') }] },
      { version: 1, images: {} },
      { version: '1', images: [] },
      [],
      null,
      'state',
    ];

    // Act
    const verdicts = documents.map((document) => [isSyncState(document), SyncStateSchema.safeParse(document).success]);

    // Assess
    expect(verdicts.map(([fast]) => fast)).toEqual([true, true, true, false, false, false, false, false, false, false, false, false, false, false, false]);
    for (const [fast, schema] of verdicts) expect(fast).toBe(schema);
  });

  it('records only real changes and prunes tags the source no longer lists, in sorted order', () => {
    // Prepare
    const book = new SyncStateBook({ version: 1, images: [entry('team/web', 'v2', 'b'), entry('team/web', 'v1', 'a'), entry('team/api', 'old', 'c')] });

    // Act
    book.record(entry('team/web', 'v1', 'a'));
    const changedBySameEntry = book.hasChanged;
    book.prune('http://src', 'team/api', new Set(['new']));
    book.record(entry('team/api', 'new', 'd'));

    // Assess
    expect(changedBySameEntry).toBe(false);
    expect(book.hasChanged).toBe(true);
    expect(book.toState().images.map((image) => `${image.repository}:${image.tag}`)).toEqual(['team/api:new', 'team/web:v1', 'team/web:v2']);
    expect(book.get('http://src', 'team/web', 'v2')?.digest).toBe(digest('b'));
    expect(book.get('http://other', 'team/web', 'v2')).toBeUndefined();
  });
});
