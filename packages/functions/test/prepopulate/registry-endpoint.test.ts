import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcrRegistryEndpoint } from '../../src/adapters/registry-endpoint.js';

const ecrMock = mockClient(ECRClient);
const PROXY_ENDPOINT = 'https://111122223333.dkr.ecr.eu-central-1.amazonaws.com';

const tokenFor = (password: string, expiresAt: Date) => ({
  authorizationData: [{ authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'), proxyEndpoint: PROXY_ENDPOINT, expiresAt }],
});

beforeEach(() => {
  ecrMock.reset();
});

describe('createEcrRegistryEndpoint', () => {
  it('decodes the token into Basic credentials for the proxyEndpoint', async () => {
    // Prepare
    ecrMock.on(GetAuthorizationTokenCommand).resolves(tokenFor('pa:ss=word', new Date('2026-06-01T12:00:00Z')));
    const endpoint = createEcrRegistryEndpoint({ client: new ECRClient({ region: 'eu-central-1' }), clock: () => new Date('2026-06-01T00:00:00Z') });

    // Act
    const result = await endpoint();

    // Assess
    expect(result).toEqual({ baseUrl: PROXY_ENDPOINT, credentials: { username: 'AWS', password: 'pa:ss=word' }, expiresAt: new Date('2026-06-01T12:00:00Z') });
  });

  it('reuses the token until shortly before it expires, then logs in again', async () => {
    // Prepare
    let now = new Date('2026-06-01T00:00:00Z');
    ecrMock
      .on(GetAuthorizationTokenCommand)
      .resolvesOnce(tokenFor('first', new Date('2026-06-01T12:00:00Z')))
      .resolvesOnce(tokenFor('second', new Date('2026-06-02T00:00:00Z')));
    const endpoint = createEcrRegistryEndpoint({ client: new ECRClient({ region: 'eu-central-1' }), clock: () => now, renewalMarginMs: 60_000 });

    // Act
    const [a, b] = await Promise.all([endpoint(), endpoint()]);
    now = new Date('2026-06-01T11:58:00Z');
    const stillValid = await endpoint();
    now = new Date('2026-06-01T11:59:30Z');
    const renewed = await endpoint();

    // Assess
    expect([a, b, stillValid].map((endpointNow) => endpointNow.credentials?.password)).toEqual(['first', 'first', 'first']);
    expect(renewed.credentials?.password).toBe('second');
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(2);
  });

  it('fails clearly when ECR returns no token', async () => {
    // Prepare
    ecrMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    const endpoint = createEcrRegistryEndpoint({ client: new ECRClient({ region: 'eu-central-1' }) });

    // Act
    const act = endpoint();

    // Assess
    await expect(act).rejects.toThrow('ECR GetAuthorizationToken returned no token or no proxyEndpoint');
  });
});
