import { DynamoDBProvider } from '@aws-lambda-powertools/parameters/dynamodb';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { configMarker, formatConfigMarker } from '@dockmaster/core/config';
import { UserFacingError } from '@dockmaster/core/errors';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConfigSource } from '../src/adapters/config-source.js';
import { type LocalDynamoDB, startLocalDynamoDB } from './local-dynamodb.js';

const ssmMock = mockClient(SSMClient);
const TABLE = 'dockmaster-config';
const MARKER = '/dockmaster/config';

const yaml = (policyName: string) => `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
tagPolicies:
  - name: ${policyName}
    repositories: ["prod/**"]
`;

let dynamo: LocalDynamoDB;

/** Stores the configuration as the deploy does: the item's `value`. */
const store = (text: string) => dynamo.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'config' }, value: { S: text } } }));
const markerNaming = (text: string) => ({ Parameter: { Name: MARKER, Value: formatConfigMarker(configMarker(text)), Type: 'String' as const } });

const source = (maxAgeSeconds: number, onWarning?: (message: string) => void) =>
  createConfigSource({
    tableName: TABLE,
    markerParameterName: MARKER,
    contentProvider: new DynamoDBProvider({ tableName: TABLE, awsSdkV3Client: dynamo.client }),
    markerProvider: new SSMProvider({ clientConfig: { region: 'eu-central-1' } }),
    maxAgeSeconds,
    ...(onWarning === undefined ? {} : { onWarning }),
  });

const policyNames = (...configs: { tagPolicies: { name: string }[] }[]) => configs.map((config) => config.tagPolicies[0]?.name);

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
  await dynamo.createIdempotencyTable(TABLE);
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  ssmMock.reset();
  vi.restoreAllMocks();
});

describe('createConfigSource', () => {
  it('loads and parses the configuration from its DynamoDB item', async () => {
    // Prepare
    await store(yaml('first'));

    // Act
    const config = await source(60).load();

    // Assess
    expect(policyNames(config)).toEqual(['first']);
  });

  it('asks DynamoDB again only after maxAge, and reuses the parsed config while the text is unchanged', async () => {
    // Prepare
    await store(yaml('first'));
    const send = vi.spyOn(dynamo.client, 'send');
    const cached = source(60);
    const uncached = source(0);

    // Act
    const [a, b] = [await cached.load(), await cached.load()];
    const [c, d] = [await uncached.load(), await uncached.load()];

    // Assess
    expect(send).toHaveBeenCalledTimes(3);
    expect(b).toBe(a);
    expect(d).toBe(c);
  });

  it('throws a user-facing error naming the table and item when the stored configuration is invalid', async () => {
    // Prepare
    await store('version: 2\n');

    // Act
    const loading = source(60).load();

    // Assess
    await expect(loading).rejects.toBeInstanceOf(UserFacingError);
    await expect(loading).rejects.toThrow(/dynamodb:dockmaster-config\/config/);
  });

  it('reads the item again with load({ fresh: true }) even within maxAge, and later loads see the new value', async () => {
    // Prepare: the configuration changes while the first value is still cached
    await store(yaml('first'));
    ssmMock.on(GetParameterCommand).resolves(markerNaming(yaml('second')));
    const configSource = source(60);
    const before = await configSource.load();
    await store(yaml('second'));

    // Act
    const cachedRead = await configSource.load();
    const freshRead = await configSource.load({ fresh: true });
    const afterwards = await configSource.load();

    // Assess
    expect(policyNames(before, cachedRead, freshRead, afterwards)).toEqual(['first', 'first', 'second', 'second']);
  });

  it('checks a fresh read against the marker and warns when the content is not the one the marker names', async () => {
    // Prepare
    await store(yaml('written-without-marker'));
    ssmMock.on(GetParameterCommand, { Name: MARKER }).resolvesOnce(markerNaming(yaml('written-without-marker'))).resolves(markerNaming(yaml('other')));
    const warnings: string[] = [];
    const configSource = source(60, (message) => warnings.push(message));

    // Act
    await configSource.load({ fresh: true });
    const warningsWhenMatching = warnings.length;
    const config = await configSource.load({ fresh: true });

    // Assess: the content is used as read, and the mismatch is reported with both hashes
    expect(warningsWhenMatching).toBe(0);
    expect(policyNames(config)).toEqual(['written-without-marker']);
    expect(warnings).toEqual([expect.stringContaining(`sha256 ${configMarker(yaml('other')).sha256}`)]);
  });

  it('gives every source its own cache, as every Lambda function has its own: a fresh read through one leaves the other alone', async () => {
    // Prepare: two sources with their default providers (as two workers build them), pointed at dynalite
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', String(await dynamo.client.config.endpoint?.().then((endpoint) => `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`)));
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    ssmMock.on(GetParameterCommand).resolves(markerNaming(yaml('second')));
    await store(yaml('first'));
    const tagPolicyWorker = createConfigSource({ tableName: TABLE });
    const prepopulateWorker = createConfigSource({ tableName: TABLE });
    await Promise.all([tagPolicyWorker.load(), prepopulateWorker.load()]);
    await store(yaml('second'));

    // Act
    const fresh = await prepopulateWorker.load({ fresh: true });
    const other = await tagPolicyWorker.load();
    vi.unstubAllEnvs();

    // Assess: the other worker still has its own cached copy until its own maxAge
    expect(policyNames(fresh, other)).toEqual(['second', 'first']);
  });
});
