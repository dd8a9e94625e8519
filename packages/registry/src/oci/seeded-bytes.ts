import { createCipheriv, createHash } from 'node:crypto';

/**
 * Incompressible pseudo-random bytes that depend only on the seed, so layer digests are reproducible.
 * An AES-256-CTR keystream over zeros is the fastest deterministic generator Node ships (no dependency needed).
 */
function seededBytes(seed: string, size: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`layer size must be a non-negative integer, got ${size}`);
  const key = createHash('sha256').update(`dockmaster-layer:${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return new Uint8Array(Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]));
}

export { seededBytes };
