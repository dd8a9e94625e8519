import { describe, expect, it } from 'vitest';
import { fetchFollowingRedirects, MAX_REDIRECTS } from './redirects.js';
import { serve } from './local-server.testing.js';
import { fetchTransport } from './transport.js';

const transport = fetchTransport((input, init) => fetch(input, init));

describe('fetchFollowingRedirects', () => {
  it('keeps Authorization on same-origin hops, drops it once a hop leaves the origin, and reports every hop', async () => {
    // Prepare
    const storageAuthorizations: (string | undefined)[] = [];
    const storage = await serve((request, response) => {
      storageAuthorizations.push(request.headers.authorization);
      response.writeHead(200).end('blob');
    });
    const registryAuthorizations: (string | undefined)[] = [];
    const registry = await serve((request, response) => {
      registryAuthorizations.push(request.headers.authorization);
      const location = request.url === '/first' ? '/second' : `${storage}/presigned`;
      response.writeHead(307, { Location: location }).end();
    });
    const hops: string[] = [];

    // Act
    const response = await fetchFollowingRedirects(
      transport,
      { method: 'GET', url: new URL(`${registry}/first`), headers: { Authorization: 'Bearer t' }, followRedirects: true },
      (method, url) => hops.push(`${method} ${url.pathname}`),
    );

    // Assess
    expect(await response.text()).toBe('blob');
    expect(registryAuthorizations).toEqual(['Bearer t', 'Bearer t']);
    expect(storageAuthorizations).toEqual([undefined]);
    expect(hops).toEqual(['GET /first', 'GET /second', 'GET /presigned']);
  });

  it('returns the 3xx itself when not asked to follow, and stops after MAX_REDIRECTS hops', async () => {
    // Prepare
    let requests = 0;
    const loop = await serve((_request, response) => {
      requests += 1;
      response.writeHead(302, { Location: '/again' }).end();
    });

    // Act
    const notFollowed = await fetchFollowingRedirects(transport, { method: 'GET', url: new URL(`${loop}/start`), headers: {} });
    const requestsWhenNotFollowing = requests;
    const followed = await fetchFollowingRedirects(transport, { method: 'GET', url: new URL(`${loop}/start`), headers: {}, followRedirects: true });

    // Assess
    expect(notFollowed.status).toBe(302);
    expect(requestsWhenNotFollowing).toBe(1);
    expect(followed.status).toBe(302);
    expect(requests - requestsWhenNotFollowing).toBe(MAX_REDIRECTS + 1);
  });
});
