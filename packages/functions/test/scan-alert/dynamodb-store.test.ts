import { randomUUID } from 'node:crypto';
import type { AlertState } from '@dockmaster/core/scan-alert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbScanAlertStore } from '../../src/adapters/dynamodb-scan-alert-store.js';
import { ConcurrentUpdateError, type ScanAlertStore } from '../../src/adapters/scan-alert-store.js';
import { type LocalDynamoDB, startLocalDynamoDB } from '../local-dynamodb.js';

const DIGEST = 'sha256:4a5e5b8d3b1f0c2e6d7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e';
let dynamo: LocalDynamoDB;
let store: ScanAlertStore;

const state = (findingKeys: string[]): AlertState => ({
  version: 1,
  repository: 'prod/payments/api',
  digest: DIGEST,
  findingKeys,
  dedupeKey: findingKeys.length > 0 ? `key-${findingKeys.join(',')}` : null,
  updatedAt: '2026-06-01T12:00:00.000Z',
});

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
  store = createDynamoDbScanAlertStore({ tableName: await dynamo.createIdempotencyTable('dockmaster-state'), client: dynamo.client });
});

afterAll(() => dynamo.close());

describe('DynamoDB scan-alert store', () => {
  it('moves a tag to the image of a newer scan result, never back to an older one', async () => {
    // Prepare
    const repository = `prod/${randomUUID()}`;
    const newer = 'sha256:0000000000000000000000000000000000000000000000000000000000000002';
    await store.putTag(repository, '1.4.2', DIGEST, new Date('2026-05-01T10:00:00Z'));

    // Act
    const moved = await store.putTag(repository, '1.4.2', newer, new Date('2026-05-02T10:00:00Z'));
    const movedBack = await store.putTag(repository, '1.4.2', DIGEST, new Date('2026-05-01T11:00:00Z'));

    // Assess
    expect([moved, movedBack]).toEqual([true, false]);
    expect(await store.getTag(repository, '1.4.2')).toEqual({ digest: newer, at: new Date('2026-05-02T10:00:00Z') });
    expect(await store.getTag(repository, 'other')).toBeUndefined();
  });

  it('keeps state per repository and digest, and refuses a write based on a stale revision', async () => {
    // Prepare
    const repository = `prod/${randomUUID()}`;
    const first = await store.putImage(repository, DIGEST, { state: state(['CVE-1|a']), outbox: [] }, 0);

    // Act
    const second = await store.putImage(repository, DIGEST, { state: state(['CVE-1|a', 'CVE-2|b']), outbox: [] }, first);
    const stale = await store.putImage(repository, DIGEST, { state: state([]), outbox: [] }, first).catch((error: unknown) => error);
    const otherRepository = await store.getImage(`${repository}-copy`, DIGEST);

    // Assess
    expect(stale).toBeInstanceOf(ConcurrentUpdateError);
    expect(second).toBe(2);
    expect((await store.getImage(repository, DIGEST)).state?.findingKeys).toEqual(['CVE-1|a', 'CVE-2|b']);
    expect(otherRepository).toEqual({ state: null, revision: 0, outbox: [] });
  });

  it('refuses a second first write (two evaluations that both saw no state)', async () => {
    // Prepare
    const repository = `prod/${randomUUID()}`;
    await store.putImage(repository, DIGEST, { state: state(['CVE-1|a']), outbox: [] }, 0);

    // Act
    const racing = store.putImage(repository, DIGEST, { state: state(['CVE-1|a']), outbox: [] }, 0);

    // Assess
    await expect(racing).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('keeps the outbox until it is cleared at the revision it was saved with', async () => {
    // Prepare
    const repository = `prod/${randomUUID()}`;
    const outbox = [{ detailType: 'Scan Alert' as const, detail: { repository } }];
    const revision = await store.putImage(repository, DIGEST, { state: state(['CVE-1|a']), outbox }, 0);
    const pending = await store.getImage(repository, DIGEST);

    // Act
    await store.clearOutbox(repository, DIGEST, revision);

    // Assess
    expect(pending.outbox).toEqual(outbox);
    expect((await store.getImage(repository, DIGEST)).outbox).toEqual([]);
  });

  it('moves lastScanAt forward only, whatever order scan results arrive in', async () => {
    // Prepare
    const repository = `prod/${randomUUID()}`;

    // Act
    await store.recordScan(repository, new Date('2026-06-01T10:00:00Z'));
    await store.recordScan(repository, new Date('2026-06-01T08:00:00Z'));

    // Assess
    expect(await store.getRepository(repository)).toEqual({ lastScanAt: new Date('2026-06-01T10:00:00Z') });
  });

  it('remembers the watchdog\'s first run', async () => {
    // Act
    const first = await store.startWatchdog(new Date('2026-06-01T00:00:00Z'));
    const later = await store.startWatchdog(new Date('2026-06-05T00:00:00Z'));

    // Assess
    expect(first).toEqual(new Date('2026-06-01T00:00:00Z'));
    expect(later).toEqual(new Date('2026-06-01T00:00:00Z'));
  });
});
