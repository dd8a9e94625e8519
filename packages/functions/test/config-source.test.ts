import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { UserFacingError } from '@dockmaster/core/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createConfigSource } from '../src/config-source.js';

const ssmMock = mockClient(SSMClient);

const yaml = (policyName: string) => `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
tagPolicies:
  - name: ${policyName}
    repositories: ["prod/**"]
`;

const answer = (value: string) => ({ Parameter: { Name: '/dockmaster/config', Value: value, Type: 'String' as const } });

const source = (maxAgeSeconds: number) =>
  createConfigSource({ parameterName: '/dockmaster/config', provider: new SSMProvider({ clientConfig: { region: 'eu-central-1' } }), maxAgeSeconds });

beforeEach(() => {
  ssmMock.reset();
});

describe('createConfigSource', () => {
  it('loads and parses the YAML from the SSM parameter', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand, { Name: '/dockmaster/config' }).resolves(answer(yaml('first')));

    // Act
    const config = await source(60).load();

    // Assess
    expect(config.tagPolicies.map((policy) => policy.name)).toEqual(['first']);
  });

  it('asks SSM again only after maxAge, and reuses the parsed config while the text is unchanged', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves(answer(yaml('first')));
    const cached = source(60);
    const uncached = source(0);

    // Act
    const [a, b] = [await cached.load(), await cached.load()];
    const [c, d] = [await uncached.load(), await uncached.load()];

    // Assess
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(3);
    expect(b).toBe(a);
    expect(d).toBe(c);
  });

  it('picks up a changed parameter once the cache has expired', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolvesOnce(answer(yaml('first'))).resolves(answer(yaml('second')));
    const configSource = source(0);

    // Act
    const before = await configSource.load();
    const after = await configSource.load();

    // Assess
    expect([before.tagPolicies[0]?.name, after.tagPolicies[0]?.name]).toEqual(['first', 'second']);
  });

  it('throws a user-facing error naming the parameter when the YAML is invalid', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand).resolves(answer('version: 2\n'));

    // Act
    const loading = source(60).load();

    // Assess
    await expect(loading).rejects.toBeInstanceOf(UserFacingError);
    await expect(loading).rejects.toThrow(/ssm:\/dockmaster\/config/);
  });

  it('reads the parameter again with load({ fresh: true }) even within maxAge, and later loads see the new value', async () => {
    // Prepare: the parameter changes while the first value is still cached
    ssmMock.on(GetParameterCommand).resolvesOnce(answer(yaml('first'))).resolves(answer(yaml('second')));
    const configSource = source(60);
    const before = await configSource.load();

    // Act
    const cachedRead = await configSource.load();
    const freshRead = await configSource.load({ fresh: true });
    const afterwards = await configSource.load();

    // Assess
    expect([before, cachedRead, freshRead, afterwards].map((config) => config.tagPolicies[0]?.name)).toEqual(['first', 'first', 'second', 'second']);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('shares one cache per process by default, so a fresh read through one source refreshes the others', async () => {
    // Prepare: two sources without their own provider, as the batch handler and prepopulate build them
    ssmMock.on(GetParameterCommand).resolvesOnce(answer(yaml('first'))).resolves(answer(yaml('second')));
    const batchHandlerSource = createConfigSource({ parameterName: '/dockmaster/config' });
    const prepopulateSource = createConfigSource({ parameterName: '/dockmaster/config' });
    const before = await batchHandlerSource.load();

    // Act
    await prepopulateSource.load({ fresh: true });
    const after = await batchHandlerSource.load();

    // Assess
    expect([before.tagPolicies[0]?.name, after.tagPolicies[0]?.name]).toEqual(['first', 'second']);
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});
