import { readFile } from 'node:fs/promises';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CONFIG_ITEM_ID, configMarker, formatConfigMarker } from '@dockmaster/core/config';
import { CONFIG_TABLE } from '@dockmaster/local/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * Issue 11 on the local stack, with the production workers: a broken configuration is stored, then fixed within
 * the workers' one-minute cache. The fix must apply at once: to prepopulate through the fix's own change event,
 * and to a worker whose cached copy is the broken one (tag-policy) on its next batch. The configuration is
 * written as the deploy writes it: the content to the config table, then the marker to the SSM parameter.
 */

let e2e: TestStack;
let ssm: SSMClient;
let dynamo: DynamoDBClient;

const storeConfig = async (text: string): Promise<void> => {
  await dynamo.send(new PutItemCommand({ TableName: CONFIG_TABLE, Item: { id: { S: CONFIG_ITEM_ID }, value: { S: text } } }));
  await ssm.send(new PutParameterCommand({ Name: e2e.stack.topology.configParameter.name, Type: 'String', Overwrite: true, Value: formatConfigMarker(configMarker(text)) }));
};

/** Messages failed and waiting out their visibility timeout, for the two workers of this test. */
const inFlight = () =>
  Object.fromEntries(e2e.stack.runner.status().filter((status) => status.automation === 'tag-policy' || status.automation === 'prepopulate').map((status) => [status.automation, status.queue.inFlight]));

beforeAll(async () => {
  e2e = await startTestStack({ prefix: 'config-change', demoImage: true });
  ssm = new SSMClient({ ...e2e.clientConfig, endpoint: e2e.stack.urls.aws });
  dynamo = new DynamoDBClient({ ...e2e.clientConfig, endpoint: e2e.stack.urls.dynamo });
});

afterAll(async () => {
  for (const client of [ssm, dynamo]) client?.destroy();
  await e2e?.stop();
});

describe('a fixed configuration takes effect at once', () => {
  it('after a broken one: prepopulate plans the fix from its change event, and tag-policy drops its broken cached copy', async () => {
    // Prepare: a broken configuration reaches both workers (prepopulate through its change event, tag-policy through a push)
    const example = await readFile(EXAMPLE_CONFIG, 'utf8');
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/web' }));
    await storeConfig('version: 2\n');
    await e2e.push('prod/payments/api', 'latest');
    await e2e.stack.drain(30_000);
    const waitingWhileBroken = inFlight();

    // Act: the fix (pause 3.9 only), stored seconds later, well within the one-minute cache; then a new push
    const fixed = example.replace('tags: ["3.9", "3.10"]', 'tags: ["3.9"]');
    await storeConfig(fixed);
    await e2e.push('prod/payments/web', 'latest');
    await e2e.stack.drain(60_000);

    // Assess
    expect(fixed).not.toBe(example);
    // Both failed on the broken configuration: their messages wait out the visibility timeout.
    expect(waitingWhileBroken).toEqual({ 'tag-policy': 1, prepopulate: 1 });
    // The forbidden tag of the push made after the fix is removed (tag-policy read past its broken copy) ...
    expect(await e2e.tagsOf('prod/payments/web')).toEqual([]);
    // ... while the push made while broken waits out its visibility timeout, untouched.
    expect(await e2e.tagsOf('prod/payments/api')).toEqual(['latest']);
    // prepopulate planned with the fixed allow-list: 3.9 warmed, 3.10 (dropped by the fix) not.
    expect(await e2e.tagsOf('k8s/pause')).toEqual(['3.9']);
  });
});
