import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretReader } from '../src/adapters/secrets.js';

/* The Secrets Manager adapter: Powertools' SecretsProvider over the real SDK client, the client mocked. */

const secretsMock = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/nvcr-AbCdEf';

beforeEach(() => {
  secretsMock.reset();
});

describe('createSecretReader', () => {
  it('reads a JSON secret by its ARN once, then from its cache', async () => {
    // Prepare
    secretsMock.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: '{"username":"robot","accessToken":"t0ken"}' });
    const read = createSecretReader({ client: new SecretsManagerClient({ region: 'eu-central-1' }) });

    // Act
    const first = await read(ARN);
    const second = await read(ARN);

    // Assess
    expect(first).toEqual({ username: 'robot', accessToken: 't0ken' });
    expect(second).toEqual(first);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('fails when Secrets Manager refuses, so the copy can report it', async () => {
    // Prepare
    secretsMock.on(GetSecretValueCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const read = createSecretReader({ client: new SecretsManagerClient({ region: 'eu-central-1' }), maxAgeSeconds: 1 });

    // Act
    const reading = read(ARN);

    // Assess
    await expect(reading).rejects.toThrow();
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
});
