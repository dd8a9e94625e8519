import { createHash } from 'node:crypto';

class BlobReadError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BlobReadError';
  }
}

/**
 * Downloads a blob from a pre-signed URL, streaming so that at most `maxBytes` are ever held, and checks it
 * against its digest. Hand-written because fetch has no size cap and the SDK does not download layer URLs.
 */
const readBlob = async (url: string, expected: { digest: string; maxBytes: number }, fetchImpl: typeof fetch = fetch): Promise<Buffer> => {
  const response = await fetchImpl(url);
  if (!response.ok || !response.body) {
    throw new BlobReadError(`downloading blob ${expected.digest} failed: HTTP ${response.status}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > expected.maxBytes) {
      await reader.cancel();
      throw new BlobReadError(`blob ${expected.digest} is larger than ${expected.maxBytes} bytes; refusing to read it`);
    }
    chunks.push(value);
  }
  const blob = Buffer.concat(chunks);
  const actual = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  if (actual !== expected.digest) {
    throw new BlobReadError(`blob content does not match its digest: expected ${expected.digest}, got ${actual}`);
  }
  return blob;
};

export { BlobReadError, readBlob };
