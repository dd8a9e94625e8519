import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbAlertOnce } from '../src/adapters/alert-once.js';
import { type LocalDynamoDB, startLocalDynamoDB } from './local-dynamodb.js';

let dynamo: LocalDynamoDB;

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
});

afterAll(async () => {
  await dynamo.close();
});

describe('createDynamoDbAlertOnce (against dynalite)', () => {
  it('lets the first claim of a key through, refuses the next ones until the record expires, and keeps keys apart', async () => {
    // Prepare
    let clock = Date.parse('2026-06-01T00:00:00Z');
    const alertOnce = createDynamoDbAlertOnce({ tableName: await dynamo.createIdempotencyTable(`state-${randomUUID()}`), client: dynamo.client, now: () => clock });

    // Act
    const first = await alertOnce.claim('cache-health#k8s/pause:3.10#upstream-authentication', 3600);
    const second = await alertOnce.claim('cache-health#k8s/pause:3.10#upstream-authentication', 3600);
    const otherKind = await alertOnce.claim('cache-health#k8s/pause:3.10#upstream-rate-limited', 3600);
    clock += 3600 * 1000;
    const afterExpiry = await alertOnce.claim('cache-health#k8s/pause:3.10#upstream-authentication', 3600);

    // Assess
    expect([first, second, otherKind, afterExpiry]).toEqual([true, false, true, true]);
  });

  it('lets a released claim be taken again at once', async () => {
    // Prepare
    const alertOnce = createDynamoDbAlertOnce({ tableName: await dynamo.createIdempotencyTable(`state-${randomUUID()}`), client: dynamo.client });
    await alertOnce.claim('cache-health#k8s/pause:3.10#upstream-unreachable', 3600);

    // Act
    await alertOnce.release('cache-health#k8s/pause:3.10#upstream-unreachable');
    const again = await alertOnce.claim('cache-health#k8s/pause:3.10#upstream-unreachable', 3600);

    // Assess
    expect(again).toBe(true);
  });
});
