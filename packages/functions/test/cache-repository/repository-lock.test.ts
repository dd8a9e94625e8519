import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationId } from '@dockmaster/core/constants';
import { workerTimeoutSeconds } from '@dockmaster/core/topology';
import { createDynamoDbRepositoryLock, DEFAULT_LEASE_SECONDS, leaseId, RepositoryBusyError } from '../../src/adapters/repository-lock.js';
import { type LocalDynamoDB, startLocalDynamoDB } from '../local-dynamodb.js';

/*
 * The per-repository lease against a real DynamoDB implementation (dynalite): conditional writes are the
 * whole mechanism, so they are not mocked. "Time" (waits between attempts, the lease clock) is injected.
 */

let dynamo: LocalDynamoDB;
let tableName: string;

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
};

const leaseItem = async (key: string) =>
  (await dynamo.client.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: leaseId(key) } }, ConsistentRead: true }))).Item;

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
  tableName = await dynamo.createIdempotencyTable('dockmaster-state');
});

afterAll(async () => {
  await dynamo.close();
});

describe('DynamoDB repository lease', () => {
  it('lets a second holder in only after the first released the lease, and removes the lease afterwards', async () => {
    // Prepare: the waiting holder's pauses last until the first holder is done.
    const key = `cache-repository#eu-central-1#k8s/${randomUUID()}`;
    const firstInside = deferred();
    const firstMayFinish = deferred();
    const order: string[] = [];
    let waits = 0;
    const lock = createDynamoDbRepositoryLock({
      tableName,
      client: dynamo.client,
      pause: async () => {
        waits += 1;
        firstMayFinish.resolve();
        await first;
      },
    });
    const first = lock.withLease(key, async () => {
      order.push('first in');
      firstInside.resolve();
      await firstMayFinish.promise;
      order.push('first out');
    });
    await firstInside.promise;

    // Act
    await lock.withLease(key, async () => {
      order.push('second in');
    });

    // Assess
    expect(order).toEqual(['first in', 'first out', 'second in']);
    expect(waits).toBe(1);
    expect(await leaseItem(key)).toBeUndefined();
  });

  it('gives up after its bounded wait with RepositoryBusyError naming the key, and never runs the work', async () => {
    // Prepare: a holder that keeps the lease for the whole test.
    const key = `cache-repository#eu-central-1#k8s/${randomUUID()}`;
    const holderInside = deferred();
    const holderMayFinish = deferred();
    const holder = createDynamoDbRepositoryLock({ tableName, client: dynamo.client }).withLease(key, async () => {
      holderInside.resolve();
      await holderMayFinish.promise;
    });
    await holderInside.promise;
    const pauses: number[] = [];
    const waiter = createDynamoDbRepositoryLock({ tableName, client: dynamo.client, retryDelaysMs: [10, 20, 40], pause: async (ms) => void pauses.push(ms) });
    let ran = false;

    // Act
    const attempt = waiter.withLease(key, async () => {
      ran = true;
    });

    // Assess
    await expect(attempt).rejects.toThrow(RepositoryBusyError);
    await expect(attempt).rejects.toThrow(`holds the lease on ${key}`);
    expect(pauses).toEqual([10, 20, 40]);
    expect(ran).toBe(false);
    holderMayFinish.resolve();
    await holder;
  });

  it('takes over a lease its holder abandoned once it expired', async () => {
    // Prepare: a holder that "crashed" at t=0 without releasing (its release fails: it is not the holder any more).
    const key = `cache-repository#eu-central-1#k8s/${randomUUID()}`;
    let clock = 0;
    const now = () => clock;
    const crashed = createDynamoDbRepositoryLock({ tableName, client: dynamo.client, leaseSeconds: 60, now });
    const crashedInside = deferred();
    const crashedMayFinish = deferred();
    const abandoned = crashed.withLease(key, async () => {
      crashedInside.resolve();
      await crashedMayFinish.promise;
    });
    await crashedInside.promise;
    clock = 61_000;
    const successor = createDynamoDbRepositoryLock({ tableName, client: dynamo.client, leaseSeconds: 60, now, retryDelaysMs: [] });
    const successorInside = deferred();
    const successorMayFinish = deferred();

    // Act
    const taken = successor.withLease(key, async () => {
      successorInside.resolve();
      await successorMayFinish.promise;
      return 'configured';
    });
    await successorInside.promise;
    crashedMayFinish.resolve();
    await abandoned;
    const heldAfterOldRelease = await leaseItem(key);
    successorMayFinish.resolve();

    // Assess: the late release of the old holder did not remove the successor's lease.
    expect(heldAfterOldRelease?.['expiresAt']?.N).toBe(String(61_000 + 60_000));
    expect(await taken).toBe('configured');
    expect(await leaseItem(key)).toBeUndefined();
  });

  it('releases the lease when the work fails, and passes the failure on', async () => {
    // Prepare
    const key = `cache-repository#eu-central-1#k8s/${randomUUID()}`;
    const lock = createDynamoDbRepositoryLock({ tableName, client: dynamo.client, retryDelaysMs: [] });

    // Act
    const failed = lock.withLease(key, async () => {
      throw new Error('ECR said no');
    });

    // Assess
    await expect(failed).rejects.toThrow('ECR said no');
    expect(await leaseItem(key)).toBeUndefined();
    await expect(lock.withLease(key, async () => 'again')).resolves.toBe('again');
  });
});

describe('the default lease', () => {
  it('lasts as long as the cache-repository worker may run, so it never expires under a live holder', () => {
    // Assess
    expect(DEFAULT_LEASE_SECONDS).toBe(workerTimeoutSeconds(AutomationId.CacheRepository));
  });
});
