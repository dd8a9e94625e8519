import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storedBlobExists, waitUntilBlobsStored } from './stored-blobs.js';

const HEX = 'ab'.repeat(32);
const DIGEST = `sha256:${HEX}`;
const roots: string[] = [];

/** A storage root laid out as Distribution's filesystem driver writes it. */
const storageRoot = (blobs: string[]): string => {
  const root = mkdtempSync(path.join(tmpdir(), 'dockmaster-stored-blobs-'));
  roots.push(root);
  for (const hex of blobs) {
    const folder = path.join(root, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'data'), 'x');
  }
  return root;
};

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('storedBlobExists', () => {
  it("finds a blob at the filesystem driver's path and not another digest", () => {
    // Prepare
    const root = storageRoot([HEX]);

    // Act
    const found = [storedBlobExists(root, DIGEST), storedBlobExists(root, `sha256:${'cd'.repeat(32)}`)];

    // Assess
    expect(found).toEqual([true, false]);
  });
});

describe('waitUntilBlobsStored', () => {
  it('answers true as soon as every blob is stored', async () => {
    // Prepare
    const root = storageRoot([HEX]);

    // Act
    const stored = await waitUntilBlobsStored(root, [DIGEST]);

    // Assess
    expect(stored).toBe(true);
  });
});
