import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient, ListImagesCommand } from '@aws-sdk/client-ecr';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CONFIG_ITEM_ID, configMarker, formatConfigMarker } from '@dockmaster/core/config';
import { pushOciLayout, writeDemoImage } from '@dockmaster/local/demo';
import { CONFIG_TABLE, startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Issue 11 on the local stack, with the production workers: a broken configuration is stored, then fixed within
 * the workers' one-minute cache. The fix must apply at once: to prepopulate through the fix's own change event,
 * and to a worker whose cached copy is the broken one (tag-policy) on its next batch. The configuration is
 * written as the deploy writes it: the content to the config table, then the marker to the SSM parameter.
 */

const CONFIG = new URL('../../docs/examples/dockmaster.example.yaml', import.meta.url);

let stack: LocalStack;
let stateDir: string;
let ecr: ECRClient;
let ssm: SSMClient;
let dynamo: DynamoDBClient;
let image: Awaited<ReturnType<typeof writeDemoImage>>;

const storeConfig = async (text: string): Promise<void> => {
  await dynamo.send(new PutItemCommand({ TableName: CONFIG_TABLE, Item: { id: { S: CONFIG_ITEM_ID }, value: { S: text } } }));
  await ssm.send(new PutParameterCommand({ Name: stack.topology.configParameter.name, Type: 'String', Overwrite: true, Value: formatConfigMarker(configMarker(text)) }));
};

const tagsOf = async (repositoryName: string): Promise<string[]> => {
  const listed = await ecr.send(new ListImagesCommand({ repositoryName }));
  return (listed.imageIds ?? []).flatMap((id) => (id.imageTag === undefined ? [] : [id.imageTag])).sort();
};

/** Messages failed and waiting out their visibility timeout, for the two workers of this test. */
const inFlight = () =>
  Object.fromEntries(stack.runner.status().filter((status) => status.automation === 'tag-policy' || status.automation === 'prepopulate').map((status) => [status.automation, status.queue.inFlight]));

const push = async (repository: string, tag: string): Promise<void> => {
  await pushOciLayout(image.layoutDir, image.ref, new URL(stack.urls.registry).host, repository, tag);
};

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-config-change-'));
  stack = await startLocalStack({ configPath: CONFIG.pathname, stateDir });
  const client = { region: stack.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } };
  ecr = new ECRClient({ ...client, endpoint: stack.urls.aws });
  ssm = new SSMClient({ ...client, endpoint: stack.urls.aws });
  dynamo = new DynamoDBClient({ ...client, endpoint: stack.urls.dynamo });
  image = await writeDemoImage();
});

afterAll(async () => {
  for (const client of [ecr, ssm, dynamo]) client?.destroy();
  await stack?.stop();
  await rm(stateDir, { recursive: true, force: true });
  if (image !== undefined) await rm(image.layoutDir, { recursive: true, force: true });
});

describe('a fixed configuration takes effect at once', () => {
  it('after a broken one: prepopulate plans the fix from its change event, and tag-policy drops its broken cached copy', async () => {
    // Prepare: a broken configuration reaches both workers (prepopulate through its change event, tag-policy through a push)
    const example = await readFile(CONFIG, 'utf8');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/web' }));
    await storeConfig('version: 2\n');
    await push('prod/payments/api', 'latest');
    await stack.drain(30_000);
    const waitingWhileBroken = inFlight();

    // Act: the fix (pause 3.9 only), stored seconds later, well within the one-minute cache; then a new push
    const fixed = example.replace('tags: ["3.9", "3.10"]', 'tags: ["3.9"]');
    await storeConfig(fixed);
    await push('prod/payments/web', 'latest');
    await stack.drain(60_000);

    // Assess
    expect(fixed).not.toBe(example);
    // Both failed on the broken configuration: their messages wait out the visibility timeout.
    expect(waitingWhileBroken).toEqual({ 'tag-policy': 1, prepopulate: 1 });
    // The forbidden tag of the push made after the fix is removed (tag-policy read past its broken copy) ...
    expect(await tagsOf('prod/payments/web')).toEqual([]);
    // ... while the push made while broken waits out its visibility timeout, untouched.
    expect(await tagsOf('prod/payments/api')).toEqual(['latest']);
    // prepopulate planned with the fixed allow-list: 3.9 warmed, 3.10 (dropped by the fix) not.
    expect(await tagsOf('k8s/pause')).toEqual(['3.9']);
  });
});
