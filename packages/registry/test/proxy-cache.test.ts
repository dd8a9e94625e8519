import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, RegistryErrorCode } from '../src/client/index.js';
import { manifestReferences } from '../src/manifest/index.js';
import { buildImage, pushImage } from '../src/oci/index.js';
import { startDistribution, storedBlobExists, waitUntilBlobsStored } from '../src/testing/index.js';
import type { RunningDistribution } from '../src/testing/index.js';

let upstream: RunningDistribution;
let proxy: RunningDistribution;

beforeAll(async () => {
  upstream = await startDistribution({ name: 'proxy-upstream' });
  proxy = await startDistribution({ name: 'proxy-cache', proxyRemoteUrl: upstream.url });
});

afterAll(async () => {
  await proxy?.stop();
  await upstream?.stop();
});

describe('a Distribution registry in proxy mode as a pull-through cache', () => {
  it('fetches from upstream on the first GET by tag, caches what was drained, and serves it with the upstream down', async () => {
    // Prepare
    const image = buildImage({ labels: { team: 'platform' }, layers: [{ seed: 'proxy-base', size: 20_000 }, { seed: 'proxy-app', size: 3_000 }] });
    await pushImage(new RegistryClient({ baseUrl: upstream.url }), 'k8s/pause', '3.10', image);
    const viaProxy = new RegistryClient({ baseUrl: proxy.url });
    const cachedBefore = [...image.blobs.keys()].filter((digest) => storedBlobExists(proxy.rootDirectory, digest));

    // Act
    const manifest = await viaProxy.getManifest('k8s/pause', '3.10');
    const drained = [];
    for (const ref of manifestReferences(manifest.manifest)) drained.push(await viaProxy.drainBlob('k8s/pause', ref.digest, { expectedSize: ref.size }));
    // The proxy may still be writing the last blob: wait (bounded) instead of asserting on it; the offline reads are the proof.
    await waitUntilBlobsStored(proxy.rootDirectory, [...image.blobs.keys()]);
    await upstream.stop();
    const offline = await viaProxy.getManifest('k8s/pause', '3.10');
    const offlineBlobs = [];
    for (const digest of image.blobs.keys()) offlineBlobs.push(await viaProxy.drainBlob('k8s/pause', digest));

    // Assess
    expect(cachedBefore).toEqual([]);
    expect(manifest.digest).toBe(image.manifestDigest);
    expect(drained.map((result) => result.bytes)).toEqual([...image.blobs.values()].map((bytes) => bytes.length));
    expect(offline.digest).toBe(image.manifestDigest);
    expect(offlineBlobs.map((result) => result.bytes)).toEqual([...image.blobs.values()].map((bytes) => bytes.length));
  });

  it('refuses pushes with UNSUPPORTED', async () => {
    // Prepare
    const viaProxy = new RegistryClient({ baseUrl: proxy.url });
    const image = buildImage({ layers: [] });

    // Act
    const [blob, manifest] = await Promise.allSettled([
      viaProxy.uploadBlob('k8s/pause', image.configDigest, image.config, image.config.length),
      viaProxy.putManifest('k8s/pause', 'pushed', image.manifest, image.mediaType),
    ]);

    // Assess
    expect(blob).toMatchObject({ status: 'rejected', reason: { status: 405, code: RegistryErrorCode.Unsupported, request: { method: 'POST' } } });
    expect(manifest).toMatchObject({ status: 'rejected', reason: { status: 405, code: RegistryErrorCode.Unsupported, request: { method: 'PUT' } } });
  });
});
