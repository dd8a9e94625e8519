import { describe, expect, it } from 'vitest';
import { createUpstreamEndpoint, UpstreamCredentialsError } from '../../src/adapters/upstream-endpoint.js';

/* Where copy mode reaches an upstream, and with which credentials: the secret's value never shows in an error. */

const ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/nvcr-AbCdEf';
const SECRET_VALUE = 'hunter2-very-secret';

/** A secret reader returning the given values in turn, counting reads. */
const secrets = (...values: unknown[]) => {
  const reads: string[] = [];
  return {
    reads,
    readSecret: async (arn: string): Promise<unknown> => {
      reads.push(arn);
      const value = values[Math.min(reads.length, values.length) - 1];
      if (value instanceof Error) throw value;
      return value;
    },
  };
};

const rejectionOf = async (promise: Promise<unknown>): Promise<Error> => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};

describe('createUpstreamEndpoint', () => {
  it('reaches the upstream at https://<registry host> without credentials, Docker Hub at its API host', async () => {
    // Prepare
    const none = secrets();

    // Act
    const mcr = await createUpstreamEndpoint({ upstream: 'mcr.microsoft.com', readSecret: none.readSecret, endpointOverrides: '' })();
    const hub = await createUpstreamEndpoint({ upstream: 'docker.io', readSecret: none.readSecret, endpointOverrides: '' })();

    // Assess
    expect(mcr).toEqual({ baseUrl: 'https://mcr.microsoft.com' });
    expect(hub).toEqual({ baseUrl: 'https://registry-1.docker.io' });
    expect(none.reads).toEqual([]);
  });

  it('takes the stand-in URL from DOCKMASTER_UPSTREAM_ENDPOINTS when it names the host', async () => {
    // Act
    const endpoint = await createUpstreamEndpoint({
      upstream: 'mcr.microsoft.com',
      readSecret: secrets().readSecret,
      endpointOverrides: '{"mcr.microsoft.com":"http://127.0.0.1:41236"}',
    })();

    // Assess
    expect(endpoint.baseUrl).toBe('http://127.0.0.1:41236');
  });

  it('logs in with the secret’s username and accessToken, and keeps the same endpoint until the secret changes', async () => {
    // Prepare
    const rotating = secrets({ username: 'robot', accessToken: 'one' }, { username: 'robot', accessToken: 'one' }, { username: 'robot', accessToken: 'two' });
    const endpoint = createUpstreamEndpoint({ upstream: 'nvcr.io', credentialArn: ARN, readSecret: rotating.readSecret, endpointOverrides: '' });

    // Act
    const first = await endpoint();
    const second = await endpoint();
    const rotated = await endpoint();

    // Assess
    expect(first).toEqual({ baseUrl: 'https://nvcr.io', credentials: { username: 'robot', password: 'one' } });
    expect(second).toBe(first);
    expect(rotated).toEqual({ baseUrl: 'https://nvcr.io', credentials: { username: 'robot', password: 'two' } });
    expect(rotating.reads).toEqual([ARN, ARN, ARN]);
  });

  it.each([
    ['a value without accessToken', { username: 'robot', password: SECRET_VALUE }, /are not a JSON object with the strings "username" and "accessToken"/],
    ['a value that is not JSON', Object.assign(new Error(`Unexpected token 'h', "${SECRET_VALUE}" is not valid JSON`), { name: 'TransformParameterError' }), /are not JSON; store/],
    [
      'a secret the worker may not read',
      Object.assign(new Error('Failed to get secret'), { name: 'GetParameterError', cause: Object.assign(new Error(`User is not authorized to perform secretsmanager:GetSecretValue on ${ARN}`), { name: 'AccessDeniedException', $metadata: {} }) }),
      /could not be read \(AccessDeniedException: User is not authorized.*\); check that the secret exists/,
    ],
  ])('refuses %s with an UpstreamCredentialsError that names the secret but never its value', async (_case, value, message) => {
    // Prepare
    const endpoint = createUpstreamEndpoint({ upstream: 'nvcr.io', credentialArn: ARN, readSecret: secrets(value).readSecret, endpointOverrides: '' });

    // Act
    const error = await rejectionOf(endpoint());

    // Assess
    expect(error).toBeInstanceOf(UpstreamCredentialsError);
    expect(error.message).toContain(ARN);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(SECRET_VALUE);
  });
});
