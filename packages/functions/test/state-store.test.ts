import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbWarmStateStore } from '../src/adapters/state-store.js';
import { type LocalDynamoDB, startLocalDynamoDB } from './local-dynamodb.js';

let dynamo: LocalDynamoDB;

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
});

afterAll(async () => {
  await dynamo.close();
});

const freshStore = async () => createDynamoDbWarmStateStore({ tableName: await dynamo.createIdempotencyTable(`state-${randomUUID()}`), client: dynamo.client });

describe('createDynamoDbWarmStateStore (against dynalite)', () => {
  it('knows nothing about a tag never warmed', async () => {
    // Prepare
    const store = await freshStore();

    // Act
    const state = await store.getLastWarmed('k8s/pause', '3.10');

    // Assess
    expect(state).toBeUndefined();
  });

  it('returns the last warm of each tag, the newest write winning', async () => {
    // Prepare
    const store = await freshStore();
    const first = { digest: `sha256:${'1'.repeat(64)}`, warmedAt: '2026-06-01T00:00:00.000Z' };
    const second = { digest: `sha256:${'2'.repeat(64)}`, warmedAt: '2026-06-01T06:00:00.000Z' };
    const other = { digest: `sha256:${'3'.repeat(64)}`, warmedAt: '2026-06-01T06:00:00.000Z' };

    // Act
    await store.putLastWarmed('k8s/pause', '3.10', first);
    await store.putLastWarmed('k8s/pause', '3.10', second);
    await store.putLastWarmed('k8s/pause', '3.9', other);

    // Assess
    expect(await store.getLastWarmed('k8s/pause', '3.10')).toEqual(second);
    expect(await store.getLastWarmed('k8s/pause', '3.9')).toEqual(other);
  });
});
