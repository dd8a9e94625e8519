import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { digestHex } from '../manifest/digest.js';

/*
 * What a test Distribution has written to its filesystem storage (`rootDirectory`), for tests of a proxy
 * (pull-through) registry: whether a blob is stored, and a bounded wait for it, because the proxy streams a
 * blob to the client while it writes it, so the file can land just after the last byte was read.
 */

const WAIT_TRIES = 500;
const WAIT_POLL_MS = 10;

/** Whether Distribution's filesystem driver holds the blob `digest` (sha256) under `rootDirectory`. */
function storedBlobExists(rootDirectory: string, digest: string): boolean {
  const hex = digestHex(digest);
  return existsSync(path.join(rootDirectory, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data'));
}

/** Waits, at most about 5 s, until every blob is stored; false when some never were. */
async function waitUntilBlobsStored(rootDirectory: string, digests: readonly string[]): Promise<boolean> {
  for (let tries = 0; tries < WAIT_TRIES; tries += 1) {
    if (digests.every((digest) => storedBlobExists(rootDirectory, digest))) return true;
    await delay(WAIT_POLL_MS);
  }
  return false;
}

export { storedBlobExists, waitUntilBlobsStored };
