import type { WarmTarget } from '@dockmaster/core/prepopulate';
import { manifestReferences, RegistryClient } from '@dockmaster/registry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/runtime/concurrency.js';
import { warmImage, type WarmImageInput } from '../../src/prepopulate/warm-image.js';
import { type CachePair, recordingFetch, singleImage, startCachePair, twoPlatformIndex } from './cache-pair.js';

let pair: CachePair;
let recorder: ReturnType<typeof recordingFetch>;

const target = (image: string, extra: Partial<WarmTarget> = {}): WarmTarget => ({
  prefix: 'k8s',
  upstream: 'registry.k8s.io',
  mode: 'cache',
  image,
  repository: `k8s/${image}`,
  selector: ['3.10'],
  ...extra,
});

/** A client for the cache (the proxy), recording its requests. */
const cacheClient = (options: { fetch?: typeof fetch; sleeps?: number[] } = {}) =>
  new RegistryClient({
    baseUrl: pair.proxy.url,
    fetch: options.fetch ?? recorder.fetch,
    retry: { attempts: 3, sleep: async (ms) => void options.sleeps?.push(ms) },
  });

const warm = (input: Partial<WarmImageInput> & Pick<WarmImageInput, 'target' | 'tag'>) =>
  warmImage({ client: cacheClient(), blobLimiter: createLimiter(4), ...input });

beforeEach(async () => {
  pair = await startCachePair('warm-image');
  recorder = recordingFetch();
});

afterEach(async () => {
  await pair.stop();
});

describe('warmImage against a real Distribution pull-through cache', () => {
  it('pulls the selected platform by tag and leaves every needed blob in the cache, which then serves it with the upstream down', async () => {
    // Prepare
    const index = twoPlatformIndex('metrics-server', '0.7.1');
    const indexDigest = await pair.seed('k8s/metrics-server', 'v0.7.1', index);
    const arm = index.children.find((child) => child.platform.architecture === 'arm64');
    const amd = index.children.find((child) => child.platform.architecture === 'amd64');
    const armBlobs = [...(arm?.blobs.keys() ?? [])];

    // Act
    const result = await warm({ target: target('metrics-server'), tag: 'v0.7.1', platforms: ['linux/arm64'] });
    const stored = await pair.waitUntilCached(armBlobs);
    await pair.upstream.stop();
    const offline = new RegistryClient({ baseUrl: pair.proxy.url });
    const offlineIndex = await offline.getManifest('k8s/metrics-server', 'v0.7.1');
    const offlineArm = await offline.getManifest('k8s/metrics-server', arm?.manifestDigest ?? '');
    const offlineBytes = [];
    for (const blob of manifestReferences(offlineArm.manifest)) offlineBytes.push((await offline.drainBlob('k8s/metrics-server', blob.digest)).bytes);

    // Assess
    expect(result).toEqual({
      status: 'warmed',
      reason: 'new',
      digest: indexDigest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      bytes: armBlobs.reduce((sum, digest) => sum + (arm?.blobs.get(digest)?.length ?? 0), 0),
      blobs: armBlobs.length,
      platforms: ['linux/arm64/v8'],
    });
    expect(stored).toBe(true);
    expect(recorder.manifestRequests().map((request) => `${request.method} ${request.path}`)).toEqual([
      'HEAD /v2/k8s/metrics-server/manifests/v0.7.1',
      'GET /v2/k8s/metrics-server/manifests/v0.7.1',
      `GET /v2/k8s/metrics-server/manifests/${arm?.manifestDigest}`,
    ]);
    expect([...(amd?.blobs.keys() ?? [])].filter((digest) => !arm?.blobs.has(digest)).some(pair.cachedBlobExists)).toBe(false);
    expect(offlineIndex.digest).toBe(indexDigest);
    expect(offlineBytes).toEqual(manifestReferences(arm?.manifest ? JSON.parse(new TextDecoder().decode(arm.manifest)) : { layers: [] }).map((blob) => blob.size));
  });

  it('makes one HEAD and no blob request when upstream still has the digest of the last warm', async () => {
    // Prepare
    const digest = await pair.seed('k8s/pause', '3.10', singleImage('pause', '3.10'));
    const first = await warm({ target: target('pause'), tag: '3.10' });
    recorder.reset();

    // Act
    const second = await warm({ target: target('pause'), tag: '3.10', lastWarmedDigest: digest });

    // Assess
    expect(first).toMatchObject({ status: 'warmed', digest, blobs: 3 });
    expect(second).toEqual({ status: 'unchanged', digest });
    expect(recorder.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['HEAD /v2/k8s/pause/manifests/3.10']);
  });

  it('warms a moved tag again', async () => {
    // Prepare
    const before = await pair.seed('k8s/pause', '3.10', singleImage('pause', '3.10-a'));
    await warm({ target: target('pause'), tag: '3.10' });
    const moved = singleImage('pause', '3.10-b');
    const after = await pair.seed('k8s/pause', '3.10', moved);
    recorder.reset();

    // Act
    const result = await warm({ target: target('pause'), tag: '3.10', lastWarmedDigest: before });

    // Assess
    expect(after).not.toBe(before);
    expect(result).toMatchObject({ status: 'warmed', reason: 'moved', digest: after, blobs: moved.blobs.size });
    expect(recorder.blobGets()).toHaveLength(moved.blobs.size);
    expect(await pair.waitUntilCached([...moved.blobs.keys()])).toBe(true);
  });

  it("reports a tag the upstream lacks as 'missing-upstream'", async () => {
    // Prepare
    await pair.seed('k8s/pause', '3.10', singleImage('pause', '3.10'));

    // Act
    const result = await warm({ target: target('pause'), tag: '3.99' });

    // Assess
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'missing-upstream', code: 'MANIFEST_UNKNOWN', status: 404 } });
    expect(result.status === 'failed' && result.failure.message).toContain('registry.k8s.io has no pause:3.99');
    expect(recorder.blobGets()).toEqual([]);
  });

  it("turns 429s that outlast the retries into 'rate-limited', waiting as long as Retry-After asked", async () => {
    // Prepare
    await pair.seed('k8s/pause', '3.10', singleImage('pause', '3.10'));
    const sleeps: number[] = [];
    const limited: typeof fetch = async (input, init) =>
      String(input instanceof Request ? input.url : input).includes('/manifests/')
        ? new Response(JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'pull rate limit' }] }), { status: 429, headers: { 'Retry-After': '7' } })
        : recorder.fetch(input, init);

    // Act
    const result = await warmImage({ client: cacheClient({ fetch: limited, sleeps }), target: target('pause'), tag: '3.10', blobLimiter: createLimiter(4) });

    // Assess
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'rate-limited', status: 429 } });
    expect(result.status === 'failed' && result.failure.message).toContain('429');
    expect(sleeps).toEqual([7000, 7000]);
  });

  it('warms nothing when upstream moved a pinned tag away from the pinned digest', async () => {
    // Prepare
    const pinned = await pair.seed('k8s/coredns', 'v1.11.1', singleImage('coredns', 'v1.11.1-a'));
    const current = await pair.seed('k8s/coredns', 'v1.11.1', singleImage('coredns', 'v1.11.1-b'));
    recorder.reset();

    // Act
    const result = await warm({ target: target('coredns'), tag: 'v1.11.1', pinnedDigest: pinned });

    // Assess
    expect(result).toMatchObject({ status: 'failed', digest: current, failure: { reason: 'other' } });
    expect(result.status === 'failed' && result.failure.message).toContain(`pins it to ${pinned}`);
    expect(recorder.requests.map((request) => request.method)).toEqual(['HEAD']);
  });

  it('reports an index without any requested platform', async () => {
    // Prepare
    await pair.seed('k8s/metrics-server', 'v0.7.1', twoPlatformIndex('metrics-server', '0.7.1'));

    // Act
    const result = await warm({ target: target('metrics-server'), tag: 'v0.7.1', platforms: ['linux/s390x'] });

    // Assess
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'missing-upstream' } });
    expect(result.status === 'failed' && result.failure.message).toContain('linux/amd64, linux/arm64/v8');
    expect(recorder.blobGets()).toEqual([]);
  });

  it('downloads at most four blobs at a time', async () => {
    // Prepare
    await pair.seed('k8s/big', '1.0', singleImage('big', '1.0', 10));

    // Act
    const result = await warm({ target: target('big'), tag: '1.0' });

    // Assess
    expect(result).toMatchObject({ status: 'warmed', blobs: 11 });
    expect(recorder.blobGets()).toHaveLength(11);
    expect(recorder.maxInFlightBlobs()).toBe(4);
  });
});
