import { parseConfigOrThrow } from '@dockmaster/core/config';
import { EcrStorageClassChangeEventSchema, type EcrStorageClassChangeEvent } from '@dockmaster/core/events/ecr-image-action';
import { RenderedMessageSchema } from '@dockmaster/core/notifications';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DockmasterBus, DockmasterEvent } from '../../src/adapters/dockmaster-bus.js';
import type { EcrStorageClasses, StoredImage } from '../../src/adapters/ecr-storage-class.js';
import { restoreArchivedImage } from '../../src/prepopulate/restore-archived.js';
import type { WorkerContext } from '../../src/runtime/sqs-batch-handler.js';
import { awsSampleEvent } from '../factories.js';
import { silentTelemetry } from '../telemetry.js';

/*
 * The restore decision of the prepopulate worker: ECR's archive event (the real sample, ecr-image-action-archive.json,
 * pointed at our repositories) against an in-memory stand-in for DescribeImages/UpdateImageStorageClass, which
 * behaves as ECR documents: an archived image restores as ACTIVATING.
 */

const PINNED = `sha256:${'b'.repeat(64)}`;
const CONFIG = parseConfigOrThrow(
  `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
pullThroughCache:
  - prefix: k8s
    upstream: registry.k8s.io
    prepopulate:
      defaultOwner: platform
      images:
        - image: pause
          tags: ["3.9", "3.10"]
        - image: metrics-server/metrics-server
          tags: { semver: ">=0.7.0 <0.8.0" }
          owner: observability
        - image: etcd
          tags: ["3.5.9@${PINNED}"]
teams:
  platform: { email: ["platform@acme.example"] }
  observability: { email: ["o11y@acme.example"] }
`,
  'test',
);

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** The AWS sample of an archival, for one of our images. */
const archived = (repository: string, digest = DIGEST, overrides: Record<string, unknown> = {}): EcrStorageClassChangeEvent => {
  const sample = awsSampleEvent('ecr-image-action-archive.json') as EcrStorageClassChangeEvent;
  return EcrStorageClassChangeEventSchema.parse({ ...sample, detail: { ...sample.detail, 'repository-name': repository, 'image-digest': digest, ...overrides } });
};

/** ECR's images by `<repository>@<digest>`; restores turn ARCHIVED into ACTIVATING, as ECR's answer says. */
class FakeStorage implements EcrStorageClasses {
  public readonly images = new Map<string, StoredImage>();
  public readonly described: string[] = [];
  public readonly restored: string[] = [];

  public put(repository: string, image: StoredImage): void {
    this.images.set(`${repository}@${image.digest}`, image);
  }

  public async describeImage(repository: string, digest: string): Promise<StoredImage | undefined> {
    this.described.push(`${repository}@${digest}`);
    return this.images.get(`${repository}@${digest}`);
  }

  public async restoreImage(repository: string, digest: string) {
    this.restored.push(`${repository}@${digest}`);
    const image = this.images.get(`${repository}@${digest}`);
    if (image === undefined) return { kind: 'gone' as const };
    image.imageStatus = 'ACTIVATING';
    return { kind: 'restoring' as const, imageStatus: 'ACTIVATING' };
  }
}

let storage: FakeStorage;
let emitted: DockmasterEvent[];
const bus: DockmasterBus = { emitEvents: async (events) => void emitted.push(...events) };
const context = (): WorkerContext => ({ automation: 'prepopulate', config: CONFIG, now: new Date('2026-12-05T12:00:00Z'), ...silentTelemetry('prepopulate') });
const run = (event: EcrStorageClassChangeEvent) => restoreArchivedImage(event, context(), { storageClassesIn: () => storage, bus });

beforeEach(() => {
  storage = new FakeStorage();
  emitted = [];
});

describe('restoreArchivedImage', () => {
  it('restores an archived image that carries an allow-listed tag, by its digest, and tells the owner', async () => {
    // Prepare
    storage.put('k8s/pause', { digest: DIGEST, tags: ['3.9'], imageStatus: 'ARCHIVED' });

    // Act
    const result = await run(archived('k8s/pause'));

    // Assess
    expect(result).toEqual({ outcome: 'restored', imageStatus: 'ACTIVATING' });
    expect(storage.restored).toEqual([`k8s/pause@${DIGEST}`]);
    expect(emitted).toHaveLength(1);
    expect(emitted[0]?.detailType).toBe('Archived Image Restored');
    expect(emitted[0]?.detail).toMatchObject({ repository: 'k8s/pause', prefix: 'k8s', digest: DIGEST, tags: ['3.9'], team: 'platform', imageStatus: 'ACTIVATING' });
    expect(RenderedMessageSchema.safeParse(emitted[0]?.detail['message']).success).toBe(true);
  });

  it('routes to the allow-list entry owner and matches SemVer selectors against the image tags', async () => {
    // Prepare
    storage.put('k8s/metrics-server/metrics-server', { digest: DIGEST, tags: ['v0.7.1'], imageStatus: 'ARCHIVED' });

    // Act
    const result = await run(archived('k8s/metrics-server/metrics-server'));

    // Assess
    expect(result.outcome).toBe('restored');
    expect(emitted[0]?.detail).toMatchObject({ tags: ['v0.7.1'], team: 'observability' });
  });

  it('leaves an archived image of an allow-listed repository archived when none of its tags is allow-listed', async () => {
    // Prepare
    storage.put('k8s/pause', { digest: DIGEST, tags: ['3.1'], imageStatus: 'ARCHIVED' });

    // Act
    const result = await run(archived('k8s/pause'));

    // Assess
    expect(result.outcome).toBe('not-allow-listed');
    expect(storage.restored).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('does not even read a repository that is not on any allow-list', async () => {
    // Prepare
    storage.put('k8s/kube-proxy', { digest: DIGEST, tags: ['3.9'], imageStatus: 'ARCHIVED' });

    // Act
    const result = await run(archived('k8s/kube-proxy'));

    // Assess
    expect(result.outcome).toBe('not-allow-listed');
    expect(storage.described).toEqual([]);
    expect(storage.restored).toEqual([]);
  });

  it('restores once and tells the owner once when the same archival arrives again', async () => {
    // Prepare
    storage.put('k8s/pause', { digest: DIGEST, tags: ['3.10'], imageStatus: 'ARCHIVED' });
    const event = archived('k8s/pause');

    // Act
    const first = await run(event);
    const second = await run({ ...event, id: 'redelivered-under-another-id' });

    // Assess
    expect(first.outcome).toBe('restored');
    expect(second).toEqual({ outcome: 'not-archived-now', imageStatus: 'ACTIVATING' });
    expect(storage.restored).toHaveLength(1);
    expect(emitted).toHaveLength(1);
  });

  it('acts on what ECR says now, not on a stale event: an image active again is left alone', async () => {
    // Prepare: archived, then restored (by a push) before the event was handled.
    storage.put('k8s/pause', { digest: DIGEST, tags: ['3.9'], imageStatus: 'ACTIVE' });

    // Act
    const result = await run(archived('k8s/pause'));

    // Assess
    expect(result).toEqual({ outcome: 'not-archived-now', imageStatus: 'ACTIVE' });
    expect(storage.described).toEqual([`k8s/pause@${DIGEST}`]);
    expect(storage.restored).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('does nothing for an image deleted since it was archived', async () => {
    // Act
    const result = await run(archived('k8s/pause'));

    // Assess
    expect(result.outcome).toBe('image-gone');
    expect(storage.restored).toEqual([]);
    expect(emitted).toEqual([]);
  });

  it('restores a pinned tag only while it names the pinned digest', async () => {
    // Prepare
    const other = `sha256:${'c'.repeat(64)}`;
    storage.put('k8s/etcd', { digest: other, tags: ['3.5.9'], imageStatus: 'ARCHIVED' });
    storage.put('k8s/etcd', { digest: PINNED, tags: ['3.5.9-old'], imageStatus: 'ARCHIVED' });

    // Act
    const moved = await run(archived('k8s/etcd', other));

    // Assess
    expect(moved.outcome).toBe('not-allow-listed');
    expect(storage.restored).toEqual([]);
  });

  it('ignores a restore event (target STANDARD) and a failed archival', async () => {
    // Prepare
    storage.put('k8s/pause', { digest: DIGEST, tags: ['3.9'], imageStatus: 'ARCHIVED' });

    // Act
    const restore = await run(archived('k8s/pause', DIGEST, { 'target-storage-class': 'STANDARD' }));
    const failed = await run(archived('k8s/pause', DIGEST, { result: 'FAILED' }));

    // Assess
    expect([restore.outcome, failed.outcome]).toEqual(['not-an-archival', 'not-an-archival']);
    expect(storage.described).toEqual([]);
    expect(storage.restored).toEqual([]);
  });
});
