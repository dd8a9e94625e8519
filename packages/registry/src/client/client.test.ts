import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MediaType } from '../manifest/index.js';
import { buildImage } from '../oci/index.js';
import { RegistryClient } from './client.js';
import { serve, stopServer } from './local-server.testing.js';
import { RegistryErrorCode } from './errors.js';

// Tiny local servers stand in for registry behaviour a real Distribution instance cannot be made to show
// (rate limiting, token auth, redirects to blob storage).

function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

const image = buildImage({ layers: [{ seed: 'stub', size: 64 }] });

function sendManifest(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': MediaType.OciManifest, 'Docker-Content-Digest': image.manifestDigest });
  response.end(image.manifest);
}

describe('RegistryClient retries', () => {
  it('retries a 429 after the Retry-After seconds the registry asked for', async () => {
    // Prepare
    let attempts = 0;
    const baseUrl = await serve((_request, response) => {
      attempts += 1;
      if (attempts === 1) {
        response.writeHead(429, { 'Retry-After': '3', 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] }));
        return;
      }
      response.writeHead(200).end('{}');
    });
    const { delays, sleep } = recordingSleep();
    const client = new RegistryClient({ baseUrl, retry: { sleep } });

    // Act
    await client.ping();

    // Assess
    expect(attempts).toBe(2);
    expect(delays).toEqual([3_000]);
  });

  it('backs off exponentially within the ceiling on 5xx and gives up after the configured attempts', async () => {
    // Prepare
    let attempts = 0;
    const baseUrl = await serve((_request, response) => {
      attempts += 1;
      response.writeHead(503, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'maintenance' }] }));
    });
    const { delays, sleep } = recordingSleep();
    const client = new RegistryClient({ baseUrl, retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 300, sleep } });

    // Act
    const error = await client.ping().catch((caught: unknown) => caught);

    // Assess
    expect(attempts).toBe(4);
    expect(error).toMatchObject({ name: 'RegistryError', status: 503, code: 'UNAVAILABLE', request: { method: 'GET', url: `${baseUrl}/v2/` } });
    expect(delays).toHaveLength(3);
    const ceilings = [100, 200, 300];
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual((ceilings[index] ?? 0) / 2);
      expect(delay).toBeLessThanOrEqual(ceilings[index] ?? 0);
    });
  });

  it('retries network errors, then reports them with the address to check', async () => {
    // Prepare
    const baseUrl = await serve(() => undefined);
    await stopServer(baseUrl);
    const { delays, sleep } = recordingSleep();
    const client = new RegistryClient({ baseUrl, retry: { attempts: 3, sleep } });

    // Act
    const error = await client.ping().catch((caught: unknown) => caught);

    // Assess
    expect(delays).toHaveLength(2);
    expect(error).toMatchObject({ code: RegistryErrorCode.NetworkError, status: undefined });
    expect(String((error as Error).message)).toContain(`${baseUrl}/v2/`);
  });

  it('does not retry client errors such as 404', async () => {
    // Prepare
    let attempts = 0;
    const baseUrl = await serve((_request, response) => {
      attempts += 1;
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    });
    const client = new RegistryClient({ baseUrl, retry: { sleep: async () => undefined } });

    // Act
    const error = await client.getManifest('team/app', 'v1').catch((caught: unknown) => caught);

    // Assess
    expect(attempts).toBe(1);
    expect(error).toMatchObject({ status: 404, code: RegistryErrorCode.ManifestUnknown });
  });
});

describe('RegistryClient authentication', () => {
  function tokenRegistry(options: { username: string; password: string }): {
    start: () => Promise<string>;
    tokenRequests: URL[];
    registryAuthorizations: (string | undefined)[];
  } {
    const tokenRequests: URL[] = [];
    const registryAuthorizations: (string | undefined)[] = [];
    const expectedBasic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    const start = async (): Promise<string> => {
      let origin = '';
      origin = await serve((request, response) => {
        const url = new URL(request.url ?? '/', origin);
        if (url.pathname === '/token') {
          tokenRequests.push(url);
          if (request.headers.authorization !== expectedBasic) {
            response.writeHead(401, { 'Content-Type': 'application/json' });
            response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
            return;
          }
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ token: `token-for ${url.searchParams.getAll('scope').join(' ')}`, expires_in: 300 }));
          return;
        }
        registryAuthorizations.push(request.headers.authorization);
        const scope = 'repository:team/app:pull';
        if (request.headers.authorization !== `Bearer token-for ${scope}`) {
          response.writeHead(401, {
            'WWW-Authenticate': `Bearer realm="${origin}/token",service="stub-registry",scope="${scope}"`,
            'Content-Type': 'application/json',
          });
          response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
          return;
        }
        sendManifest(response);
      });
      return origin;
    };
    return { start, tokenRequests, registryAuthorizations };
  }

  it('answers a Bearer challenge with a token fetched with basic credentials, and reuses it per scope', async () => {
    // Prepare
    const stub = tokenRegistry({ username: 'AWS', password: 's3cret' });
    const baseUrl = await stub.start();
    const client = new RegistryClient({ baseUrl, credentials: { username: 'AWS', password: 's3cret' } });

    // Act
    const first = await client.getManifest('team/app', 'v1');
    const second = await client.getManifest('team/app', 'v1');

    // Assess
    expect(first.digest).toBe(image.manifestDigest);
    expect(second.digest).toBe(image.manifestDigest);
    expect(stub.tokenRequests).toHaveLength(1);
    expect(stub.tokenRequests[0]?.searchParams.get('service')).toBe('stub-registry');
    expect(stub.tokenRequests[0]?.searchParams.getAll('scope')).toEqual(['repository:team/app:pull']);
    expect(stub.registryAuthorizations).toEqual([undefined, 'Bearer token-for repository:team/app:pull', 'Bearer token-for repository:team/app:pull']);
  });

  it('reports rejected credentials as UNAUTHORIZED with a hint, without retrying forever', async () => {
    // Prepare
    const stub = tokenRegistry({ username: 'AWS', password: 's3cret' });
    const baseUrl = await stub.start();
    const client = new RegistryClient({ baseUrl, credentials: { username: 'AWS', password: 'wrong' } });

    // Act
    const error = await client.getManifest('team/app', 'v1').catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ status: 401, code: RegistryErrorCode.Unauthorized });
    expect(String((error as Error).message)).toContain('check the username and password');
    expect(String((error as Error).message)).not.toContain('wrong');
    expect(stub.tokenRequests).toHaveLength(1);
  });

  it('switches to Basic auth when the registry challenges with Basic', async () => {
    // Prepare
    const seen: (string | undefined)[] = [];
    const expected = `Basic ${Buffer.from('robot:pw').toString('base64')}`;
    const baseUrl = await serve((request, response) => {
      seen.push(request.headers.authorization);
      if (request.headers.authorization !== expected) {
        response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="registry"' }).end();
        return;
      }
      sendManifest(response);
    });
    const client = new RegistryClient({ baseUrl, credentials: { username: 'robot', password: 'pw' } });

    // Act
    const read = await client.getManifest('team/app', 'v1');

    // Assess
    expect(read.digest).toBe(image.manifestDigest);
    expect(seen).toEqual([undefined, expected]);
  });
});

describe('RegistryClient redirects', () => {
  it('follows a blob redirect to another host without sending the registry credentials there', async () => {
    // Prepare
    const [layerDigest = '', layerBytes = new Uint8Array()] = [...image.blobs].at(-1) ?? [];
    const storageAuthorizations: (string | undefined)[] = [];
    const storage = await serve((request, response) => {
      storageAuthorizations.push(request.headers.authorization);
      response.writeHead(200, { 'Content-Length': String(layerBytes.length) }).end(layerBytes);
    });
    const baseUrl = await serve((request, response) => {
      if (request.headers.authorization === undefined) {
        response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="registry"' }).end();
        return;
      }
      // Another port is another origin, as S3 is for ECR.
      response.writeHead(307, { Location: `${storage}/presigned?X-Amz-Signature=abc` }).end();
    });
    const client = new RegistryClient({ baseUrl, credentials: { username: 'robot', password: 'pw' } });

    // Act
    const drained = await client.drainBlob('team/app', layerDigest, { expectedSize: layerBytes.length });

    // Assess
    expect(drained.bytes).toBe(layerBytes.length);
    expect(storageAuthorizations).toEqual([undefined]);
  });
});
