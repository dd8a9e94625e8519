import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RegistryClient } from './client.js';
import { serve } from './local-server.testing.js';

// The node-http transport against tiny local servers that misbehave in ways a real Distribution instance
// cannot be made to (bodies cut short, wrong bytes). The sync engine tests cover it against real registries.

const bytes = Buffer.from('x'.repeat(100_000));
const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function readToEnd(stream: NodeJS.ReadableStream): Promise<number> {
  let total = 0;
  for await (const chunk of stream) total += (chunk as Buffer).length;
  return total;
}

describe('RegistryClient with the node-http transport', () => {
  it('openBlobReadable fails when the connection ends before Content-Length, even without hashing', async () => {
    // Prepare
    const baseUrl = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Length': String(bytes.length) });
      response.write(bytes.subarray(0, 30_000), () => response.socket?.destroy());
    });
    const client = new RegistryClient({ baseUrl, transport: 'node-http', retry: { attempts: 1 } });

    // Act
    const stream = await client.openBlobReadable('team/app', digest, { expectedSize: bytes.length, verifyDigest: false });
    const read = readToEnd(stream);

    // Assess
    await expect(read).rejects.toThrow(/aborted|premature|socket hang up/i);
    client.close();
  });

  it('openBlobReadable counts bytes of a chunked body and hashes them unless told not to', async () => {
    // Prepare: no Content-Length (chunked), and content that does not match the digest.
    const wrong = Buffer.from('y'.repeat(bytes.length));
    const baseUrl = await serve((_request, response) => {
      response.writeHead(200);
      response.end(wrong);
    });
    const client = new RegistryClient({ baseUrl, transport: 'node-http' });

    // Act
    const outcome = async (options: { expectedSize: number; verifyDigest?: boolean }) =>
      readToEnd(await client.openBlobReadable('team/app', digest, options)).then(
        (count) => ({ count }),
        (error: unknown) => ({ code: (error as { code?: string }).code }),
      );
    const verified = await outcome({ expectedSize: bytes.length });
    const unverified = await outcome({ expectedSize: bytes.length, verifyDigest: false });
    const short = await outcome({ expectedSize: bytes.length + 1, verifyDigest: false });

    // Assess
    expect(verified).toEqual({ code: 'DIGEST_MISMATCH' });
    expect(unverified).toEqual({ count: bytes.length });
    expect(short).toEqual({ code: 'SIZE_MISMATCH' });
    client.close();
  });

  it('reuses keep-alive connections across requests, HEAD answers included', async () => {
    // Prepare
    const sockets = new Set<unknown>();
    const baseUrl = await serve((request, response) => {
      sockets.add(request.socket);
      response.writeHead(200, { 'Content-Length': String(bytes.length), 'Docker-Content-Digest': digest });
      response.end(request.method === 'HEAD' ? undefined : bytes);
    });
    const client = new RegistryClient({ baseUrl, transport: 'node-http', sockets: 2 });

    // Act
    for (let round = 0; round < 5; round += 1) {
      await client.headBlob('team/app', digest);
      await readToEnd(await client.openBlobReadable('team/app', digest, { verifyDigest: false }));
    }
    client.close();

    // Assess
    expect(sockets.size).toBe(1);
  });
});
