import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RegistryErrorCode } from './errors.js';
import { serve } from './local-server.testing.js';
import { RequestSender } from './request-sender.js';
import { retryPolicy } from './retry.js';
import { fetchTransport } from './transport.js';

function sender(options: { attempts: number; credentials?: { username: string; password: string } }): { sender: RequestSender; delays: number[]; hops: string[] } {
  const delays: number[] = [];
  const hops: string[] = [];
  return {
    delays,
    hops,
    sender: new RequestSender({
      transport: fetchTransport((input, init) => fetch(input, init)),
      retry: retryPolicy({ attempts: options.attempts, sleep: async (ms) => void delays.push(ms) }),
      userAgent: 'sender-test',
      credentials: options.credentials,
      onRequest: (method, url) => hops.push(`${method} ${url.pathname}`),
    }),
  };
}

describe('RequestSender', () => {
  it('answers a 401 challenge without spending an attempt, then retries a 503 within the attempts', async () => {
    // Prepare
    const expected = `Basic ${Buffer.from('robot:pw').toString('base64')}`;
    const statuses = [503, 200];
    const agents: (string | undefined)[] = [];
    const baseUrl = await serve((request, response) => {
      agents.push(request.headers['user-agent']);
      if (request.headers.authorization !== expected) {
        response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="registry"' }).end();
        return;
      }
      response.writeHead(statuses.shift() ?? 500).end();
    });
    const { sender: send, delays, hops } = sender({ attempts: 2, credentials: { username: 'robot', password: 'pw' } });

    // Act
    const response = await send.send({ method: 'GET', url: new URL(`${baseUrl}/v2/`), scopes: [] });

    // Assess
    expect(response.status).toBe(200);
    expect(hops).toEqual(['GET /v2/', 'GET /v2/', 'GET /v2/']);
    expect(delays).toHaveLength(1);
    expect(agents).toEqual(['sender-test', 'sender-test', 'sender-test']);
  });

  it('sends a stream body once: no retry of a 503, and a network error reported as such', async () => {
    // Prepare
    let requests = 0;
    const baseUrl = await serve((request, response) => {
      requests += 1;
      request.resume();
      request.on('end', () => response.writeHead(503).end());
    });
    const { sender: send, delays } = sender({ attempts: 4 });
    const unreachable = new URL('http://127.0.0.1:1/v2/');

    // Act
    const response = await send.send({ method: 'PUT', url: new URL(`${baseUrl}/v2/blob`), scopes: [], body: Readable.from([Buffer.from('bytes')]) });
    const failure = await send.send({ method: 'PUT', url: unreachable, scopes: [], body: Readable.from([Buffer.from('bytes')]) }).catch((caught: unknown) => caught);

    // Assess
    expect(response.status).toBe(503);
    expect(requests).toBe(1);
    expect(delays).toEqual([]);
    expect(failure).toMatchObject({ code: RegistryErrorCode.NetworkError });
    expect(String((failure as Error).message)).toContain('after 1 attempt(s)');
  });
});
