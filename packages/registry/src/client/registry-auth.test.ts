import { describe, expect, it } from 'vitest';
import { RegistryErrorCode } from './errors.js';
import { RegistryAuth } from './registry-auth.js';
import { serve } from './local-server.testing.js';
import { fetchTransport } from './transport.js';

// The token endpoint is a loopback server; the auth module sends to it through the real fetch transport.

const SCOPE = 'repository:team/app:pull';

interface TokenEndpoint {
  realm: string;
  requests: { url: URL; authorization: string | undefined }[];
}

async function tokenEndpoint(answer: (url: URL) => { status: number; body: unknown }): Promise<TokenEndpoint> {
  const requests: TokenEndpoint['requests'] = [];
  let origin = '';
  origin = await serve((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    requests.push({ url, authorization: request.headers.authorization });
    const { status, body } = answer(url);
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  return { realm: `${origin}/token`, requests };
}

function authWith(options: { credentials?: { username: string; password: string }; now?: () => number }): RegistryAuth {
  const transport = fetchTransport((input, init) => fetch(input, init));
  return new RegistryAuth({ ...options, requestToken: (url, headers) => transport(url, { method: 'GET', headers }) });
}

describe('RegistryAuth', () => {
  it('sends nothing before a challenge, and nothing to try for a challenge it cannot answer', async () => {
    // Prepare
    const auth = authWith({});

    // Act
    const before = auth.authorizationFor([SCOPE]);
    const basicWithoutCredentials = await auth.answerChallenge('Basic realm="registry"', [SCOPE]);
    const noHeader = await auth.answerChallenge(null, [SCOPE]);

    // Assess
    expect(before).toBeUndefined();
    expect(basicWithoutCredentials).toBe(false);
    expect(noHeader).toBe(false);
    expect(auth.authorizationFor([SCOPE])).toBeUndefined();
  });

  it('switches to Basic once, then sends the credentials on every request', async () => {
    // Prepare
    const auth = authWith({ credentials: { username: 'robot', password: 'pw' } });

    // Act
    const first = await auth.answerChallenge('Basic realm="registry"', [SCOPE]);
    const again = await auth.answerChallenge('Basic realm="registry"', [SCOPE]);

    // Assess
    expect(first).toBe(true);
    expect(again).toBe(false);
    expect(auth.authorizationFor(['registry:catalog:*'])).toBe(`Basic ${Buffer.from('robot:pw').toString('base64')}`);
  });

  it('fetches a Bearer token for the request and challenge scopes with Basic credentials, cached per scope set', async () => {
    // Prepare
    const endpoint = await tokenEndpoint((url) => ({ status: 200, body: { access_token: `t:${url.searchParams.getAll('scope').join(' ')}`, expires_in: 300 } }));
    const auth = authWith({ credentials: { username: 'AWS', password: 's3cret' } });

    // Act
    const answered = await auth.answerChallenge(`Bearer realm="${endpoint.realm}",service="registry.local",scope="${SCOPE} repository:team/app:push"`, [SCOPE]);
    const sameScopes = auth.authorizationFor([SCOPE]);
    const otherScopes = auth.authorizationFor(['repository:other:pull']);

    // Assess
    expect(answered).toBe(true);
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]?.url.searchParams.get('service')).toBe('registry.local');
    expect(endpoint.requests[0]?.url.searchParams.getAll('scope')).toEqual([SCOPE, 'repository:team/app:push']);
    expect(endpoint.requests[0]?.authorization).toBe(`Basic ${Buffer.from('AWS:s3cret').toString('base64')}`);
    expect(sameScopes).toBe(`Bearer t:${SCOPE} repository:team/app:push`);
    expect(otherScopes).toBeUndefined();
  });

  it('fetches a token up front for new scopes once the registry asked for Bearer, and renews it before it expires', async () => {
    // Prepare
    let now = 1_000_000;
    let issued = 0;
    const endpoint = await tokenEndpoint(() => ({ status: 200, body: { token: `t${(issued += 1)}`, expires_in: 60 } }));
    const auth = authWith({ now: () => now });
    await auth.answerChallenge(`Bearer realm="${endpoint.realm}"`, [SCOPE]);

    // Act
    await auth.prepare(['repository:other:pull']);
    const otherScope = auth.authorizationFor(['repository:other:pull']);
    await auth.prepare([SCOPE]);
    const cached = auth.authorizationFor([SCOPE]);
    now += 55_000; // within the 5 s renewal slack of the 60 s lifetime
    const expired = auth.authorizationFor([SCOPE]);
    await auth.prepare([SCOPE]);
    const renewed = auth.authorizationFor([SCOPE]);

    // Assess
    expect(otherScope).toBe('Bearer t2');
    expect(cached).toBe('Bearer t1');
    expect(expired).toBeUndefined();
    expect(renewed).toBe('Bearer t3');
    expect(endpoint.requests).toHaveLength(3);
  });

  it('reports a refused token request with a hint and without the password, and a body without a token as invalid', async () => {
    // Prepare
    const refusing = await tokenEndpoint(() => ({ status: 401, body: { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] } }));
    const empty = await tokenEndpoint(() => ({ status: 200, body: { expires_in: 60 } }));

    // Act
    const refused = await authWith({ credentials: { username: 'AWS', password: 'wrong-secret' } })
      .answerChallenge(`Bearer realm="${refusing.realm}"`, [SCOPE])
      .catch((caught: unknown) => caught);
    const anonymous = await authWith({}).answerChallenge(`Bearer realm="${refusing.realm}"`, [SCOPE]).catch((caught: unknown) => caught);
    const noToken = await authWith({}).answerChallenge(`Bearer realm="${empty.realm}"`, [SCOPE]).catch((caught: unknown) => caught);

    // Assess
    expect(refused).toMatchObject({ status: 401, code: RegistryErrorCode.Unauthorized });
    expect(String((refused as Error).message)).toContain('check the username and password');
    expect(String((refused as Error).message)).not.toContain('wrong-secret');
    expect(String((anonymous as Error).message)).toContain('the registry needs credentials');
    expect(noToken).toMatchObject({ code: RegistryErrorCode.InvalidResponse });
    expect(String((noToken as Error).message)).toContain('returned no token');
  });
});
