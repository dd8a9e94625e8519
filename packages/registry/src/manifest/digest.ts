import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';

// No zod in this file: the registry client and `dockmaster sync` load it, and zod would cost them ~25 ms (DigestSchema is in schema.ts).

/** OCI digest grammar (`algorithm:encoded`), restricted to the two algorithms the image spec registers. */
const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

function isDigest(value: string): boolean {
  return DIGEST_PATTERN.test(value);
}

function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A running hash in the algorithm of `digest`, to verify streamed content against it. */
function hasherFor(digest: string): { hash: Hash; algorithm: string } {
  if (!isDigest(digest)) throw new Error(`"${digest}" is not an OCI digest (expected sha256:<64 hex> or sha512:<128 hex>)`);
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return { hash: createHash(algorithm), algorithm };
}

function digestOf(bytes: Uint8Array, likeDigest: string): string {
  const { hash, algorithm } = hasherFor(likeDigest);
  return `${algorithm}:${hash.update(bytes).digest('hex')}`;
}

/** The hex part, as used in blob paths of OCI layouts and registry storage. */
function digestHex(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

export { DIGEST_PATTERN, digestHex, digestOf, hasherFor, isDigest, sha256Digest };
