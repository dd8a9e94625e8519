import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type BuiltArtifact, buildImage, buildIndex, pushImage, RegistryClient } from '@dockmaster/registry';
import { type RunningDistribution, startDistribution, storedBlobExists, waitUntilBlobsStored } from '@dockmaster/registry/testing';

/*
 * Test support: a real CNCF Distribution "upstream" seeded with built images, and a second Distribution in
 * proxy mode standing in for the pull-through cache. Distribution proxies keep repository paths as they
 * are (no prefix mapping), so upstream images are seeded under the cache path, e.g. k8s/pause.
 */

type CachePair = {
  upstream: RunningDistribution;
  proxy: RunningDistribution;
  /** Pushes an image or index to the upstream under the tag; returns its manifest digest. */
  seed: (repository: string, tag: string, image: BuiltArtifact) => Promise<string>;
  /** The digest the cache holds for the tag (its tag link), the stand-in for ECR DescribeImages. */
  cachedTagDigest: (repository: string, tag: string) => string | undefined;
  cachedBlobExists: (digest: string) => boolean;
  /** Waits (bounded) until the proxy has written the blobs: it streams to the client while it stores. */
  waitUntilCached: (digests: readonly string[]) => Promise<boolean>;
  stop: () => Promise<void>;
};

const storage = (root: string) => path.join(root, 'docker', 'registry', 'v2');

const startCachePair = async (name: string): Promise<CachePair> => {
  const upstream = await startDistribution({ name: `${name}-upstream` });
  const proxy = await startDistribution({ name: `${name}-cache`, proxyRemoteUrl: upstream.url });
  const upstreamClient = new RegistryClient({ baseUrl: upstream.url });
  return {
    upstream,
    proxy,
    seed: (repository, tag, image) => pushImage(upstreamClient, repository, tag, image),
    cachedTagDigest: (repository, tag) => {
      const link = path.join(storage(proxy.rootDirectory), 'repositories', repository, '_manifests', 'tags', tag, 'current', 'link');
      return existsSync(link) ? readFileSync(link, 'utf8').trim() : undefined;
    },
    cachedBlobExists: (digest) => storedBlobExists(proxy.rootDirectory, digest),
    waitUntilCached: async (digests) => waitUntilBlobsStored(proxy.rootDirectory, digests),
    stop: async () => {
      await proxy.stop();
      await upstream.stop();
    },
  };
};

type RecordedRequest = { method: string; path: string; status: number };

/** A fetch that records every request the registry client makes (method, path, status). */
const recordingFetch = (inner: typeof fetch = fetch) => {
  const requests: RecordedRequest[] = [];
  let inFlightBlobs = 0;
  let maxInFlightBlobs = 0;
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const isBlobGet = method === 'GET' && url.pathname.includes('/blobs/sha256:');
    if (isBlobGet) maxInFlightBlobs = Math.max(maxInFlightBlobs, (inFlightBlobs += 1));
    try {
      const response = await inner(input, init);
      requests.push({ method, path: url.pathname, status: response.status });
      return response;
    } finally {
      if (isBlobGet) inFlightBlobs -= 1;
    }
  };
  return {
    fetch: wrapped,
    requests,
    blobGets: () => requests.filter((request) => request.method === 'GET' && request.path.includes('/blobs/')),
    manifestRequests: () => requests.filter((request) => request.path.includes('/manifests/')),
    maxInFlightBlobs: () => maxInFlightBlobs,
    reset: () => {
      requests.length = 0;
      maxInFlightBlobs = 0;
    },
  };
};

/** A deterministic two-platform index (amd64 and arm64/v8) sharing a base layer; `version` changes every digest. */
const twoPlatformIndex = (image: string, version: string) =>
  buildIndex([
    buildImage({ repositoryHint: `${image}:${version}`, platform: { os: 'linux', architecture: 'amd64' }, layers: [{ seed: `${image}-base`, size: 4000 }, { seed: `${image}-${version}-amd64`, size: 2000 }] }),
    buildImage({ repositoryHint: `${image}:${version}`, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ seed: `${image}-base-arm`, size: 4000 }, { seed: `${image}-${version}-arm64`, size: 2000 }] }),
  ]);

/** A deterministic single-platform image; `version` changes every digest. */
const singleImage = (image: string, version: string, layers = 2) =>
  buildImage({
    repositoryHint: `${image}:${version}`,
    layers: Array.from({ length: layers }, (_, index) => ({ seed: `${image}-${version}-${index}`, size: 1500 + index })),
  });

export { recordingFetch, singleImage, startCachePair, twoPlatformIndex };
export type { CachePair, RecordedRequest };
