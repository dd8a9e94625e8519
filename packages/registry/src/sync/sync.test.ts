import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../client/index.js';
import { digestHex } from '../manifest/index.js';
import { buildImage, buildIndex, pushImage } from '../oci/index.js';
import type { BuiltImage } from '../oci/index.js';
import { startDistribution } from '../testing/index.js';
import type { RunningDistribution } from '../testing/index.js';
import { countingClient, manifestPuts, type RecordedRequest } from './recording-client.testing.js';
import { syncRepositories } from './sync.js';
import type { SyncProgress } from './types.js';

/*
 * Against two real Distribution registries. The target client counts its requests, so the tests can say how
 * many HEADs, uploads, mounts and manifest PUTs a sync made; results are read back with real skopeo.
 */

const run = promisify(execFile);

const writes = (requests: readonly RecordedRequest[]) => requests.filter((request) => request.method !== 'GET' && request.method !== 'HEAD');
const blobUploadPuts = (requests: readonly RecordedRequest[]) => requests.filter((request) => request.method === 'PUT' && request.path.includes('/blobs/uploads/'));
const mountPosts = (requests: readonly RecordedRequest[]) => requests.filter((request) => request.method === 'POST' && request.query.has('mount'));

/** `reference` is a tag or a digest. */
async function skopeoRaw(host: string, repository: string, reference: string): Promise<Buffer> {
  const separator = reference.includes(':') ? '@' : ':';
  const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${host}/${repository}${separator}${reference}`], { encoding: 'buffer' });
  return stdout;
}

const base = { seed: 'sync-shared-base', size: 400_000 };
const runtime = { seed: 'sync-shared-runtime', size: 300_000 };
const appImage = (name: string, extra: Partial<Parameters<typeof buildImage>[0]> = {}): BuiltImage =>
  buildImage({ repositoryHint: name, layers: [base, runtime, { seed: `sync-app-${name}`, size: 50_000 }], ...extra });
const armImage = (name: string): BuiltImage =>
  appImage(`${name}-arm64`, { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ seed: 'sync-base-arm64', size: 200_000 }, { seed: `sync-app-${name}-arm64`, size: 50_000 }] });

let source: RunningDistribution;
let target: RunningDistribution;
let sourceClient: RegistryClient;

beforeEach(async () => {
  [source, target] = await Promise.all([startDistribution({ name: 'sync-source' }), startDistribution({ name: 'sync-target' })]);
  sourceClient = new RegistryClient({ baseUrl: source.url, transport: 'node-http' });
});

afterEach(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
});

function targetClient(): { client: RegistryClient; requests: RecordedRequest[] } {
  return countingClient(target.url);
}

describe('syncRepositories against real registries', () => {
  it('copies single images and a multi-platform index byte for byte, children before the index', async () => {
    // Prepare
    const single = appImage('web-v1');
    const index = buildIndex([appImage('multi-amd64'), armImage('multi')]);
    await pushImage(sourceClient, 'team/web', 'v1', single);
    await pushImage(sourceClient, 'team/multi', 'latest', index);
    const { client, requests } = targetClient();

    // Act
    const report = await syncRepositories({ source: sourceClient, target: client, repositories: ['team/web', 'team/multi'], concurrency: 4 });
    const [webRaw, multiRaw, armRaw] = await Promise.all([
      skopeoRaw(target.host, 'team/web', 'v1'),
      skopeoRaw(target.host, 'team/multi', 'latest'),
      skopeoRaw(target.host, 'team/multi', index.children[1]?.manifestDigest ?? 'missing'),
    ]);

    // Assess
    expect(report.imagesFailed).toBe(0);
    expect(report.images.map((image) => [image.repository, image.tag, image.status, image.digest])).toEqual([
      ['team/multi', 'latest', 'copied', index.manifestDigest],
      ['team/web', 'v1', 'copied', single.manifestDigest],
    ]);
    expect(webRaw.equals(Buffer.from(single.manifest))).toBe(true);
    expect(multiRaw.equals(Buffer.from(index.manifest))).toBe(true);
    expect(armRaw.equals(Buffer.from(index.children[1]?.manifest ?? []))).toBe(true);
    const multiPuts = manifestPuts(requests).filter((request) => request.path.startsWith('/v2/team/multi/'));
    const putReferences = multiPuts.map((request) => request.path.split('/').pop());
    expect(putReferences).toHaveLength(3);
    expect(new Set(putReferences.slice(0, 2))).toEqual(new Set(index.children.map((child) => child.manifestDigest)));
    expect(putReferences[2]).toBe('latest');
  });

  it('uploads each blob once and mounts it into the other repositories, even when they copy at the same time', async () => {
    // Prepare
    const repositories = ['svc/a', 'svc/b', 'svc/c', 'svc/d'];
    const images = repositories.map((repository) => appImage(repository));
    await Promise.all(repositories.map((repository, at) => pushImage(sourceClient, repository, 'v1', images[at] as BuiltImage)));
    const uniqueBlobs = new Set(images.flatMap((image) => [...image.blobs.keys()]));
    const blobPairs = images.reduce((total, image) => total + image.blobs.size, 0);
    const { client, requests } = targetClient();

    // Act
    const report = await syncRepositories({ source: sourceClient, target: client, repositories, concurrency: 8 });

    // Assess
    const uploadedDigests = blobUploadPuts(requests).map((request) => request.query.get('digest'));
    expect(report.imagesCopied).toBe(4);
    expect(uploadedDigests.length).toBe(uniqueBlobs.size);
    expect(new Set(uploadedDigests)).toEqual(uniqueBlobs);
    // base and runtime are shared by all four: uploaded once, mounted into the three others.
    expect(mountPosts(requests).filter((request) => request.query.get('mount') === [...(images[0] as BuiltImage).blobs.keys()][1])).toHaveLength(3);
    expect(report.blobsUploaded).toBe(uniqueBlobs.size);
    expect(report.blobsMounted).toBe(blobPairs - uniqueBlobs.size);
    expect(report.bytesUploaded).toBe([...uniqueBlobs].reduce((total, digest) => total + (images.find((image) => image.blobs.has(digest))?.blobs.get(digest)?.length ?? 0), 0));
  });

  it('with state, a re-run where nothing changed makes one HEAD per tag at the source and no target request', async () => {
    // Prepare
    await pushImage(sourceClient, 'team/web', 'v1', appImage('web-v1'));
    await pushImage(sourceClient, 'team/web', 'v2', appImage('web-v2'));
    await pushImage(sourceClient, 'team/multi', 'latest', buildIndex([appImage('multi-amd64'), armImage('multi')]));
    const first = await syncRepositories({ source: sourceClient, target: targetClient().client, repositories: ['team/web', 'team/multi'], state: { version: 1, images: [] } });
    const { client: countedSource, requests: sourceRequests } = countingClient(source.url);
    const { client, requests } = targetClient();

    // Act
    const second = await syncRepositories({ source: countedSource, target: client, repositories: ['team/web', 'team/multi'], state: first.state });

    // Assess
    expect(first.imagesCopied).toBe(3);
    expect(first.stateChanged).toBe(true);
    expect(second.images.map((image) => image.status === 'skipped' && image.reason)).toEqual(['state', 'state', 'state']);
    expect(requests).toEqual([]);
    const manifestRequests = sourceRequests.filter((request) => request.path.includes('/manifests/'));
    expect(manifestRequests.map((request) => `${request.method} ${request.path}`).sort()).toEqual([
      'HEAD /v2/team/multi/manifests/latest',
      'HEAD /v2/team/web/manifests/v1',
      'HEAD /v2/team/web/manifests/v2',
    ]);
    expect(sourceRequests.filter((request) => !request.path.includes('/manifests/')).map((request) => request.path).sort()).toEqual([
      '/v2/team/multi/tags/list',
      '/v2/team/web/tags/list',
    ]);
    expect(second.stateChanged).toBe(false);
    expect(second.state).toEqual(first.state);
  });

  it('copies a moved tag again and skips the unchanged one', async () => {
    // Prepare
    await pushImage(sourceClient, 'team/web', 'v1', appImage('web-v1'));
    await pushImage(sourceClient, 'team/web', 'stable', appImage('web-v1'));
    const first = await syncRepositories({ source: sourceClient, target: targetClient().client, repositories: ['team/web'], state: { version: 1, images: [] } });
    const moved = appImage('web-v1-hotfix');
    await pushImage(sourceClient, 'team/web', 'stable', moved);
    const { client, requests } = targetClient();

    // Act
    const second = await syncRepositories({ source: sourceClient, target: client, repositories: ['team/web'], state: first.state });
    const stable = await client.headManifest('team/web', 'stable');

    // Assess
    expect(second.images.map((image) => [image.tag, image.status])).toEqual([
      ['stable', 'copied'],
      ['v1', 'skipped'],
    ]);
    expect(stable?.digest).toBe(moved.manifestDigest);
    // Only the hotfix layer and config travel; base and runtime were already in the repository.
    expect(blobUploadPuts(requests)).toHaveLength(2);
    expect(second.blobsSkipped).toBe(2);
    expect(second.state.images.find((entry) => entry.tag === 'stable')?.digest).toBe(moved.manifestDigest);
    expect(second.stateChanged).toBe(true);
  });

  it('without state, a re-run checks the target tag once per image and writes nothing', async () => {
    // Prepare
    await pushImage(sourceClient, 'team/web', 'v1', appImage('web-v1'));
    await pushImage(sourceClient, 'team/multi', 'latest', buildIndex([appImage('multi-amd64'), armImage('multi')]));
    await syncRepositories({ source: sourceClient, target: targetClient().client, repositories: ['team/web', 'team/multi'] });
    const { client, requests } = targetClient();

    // Act
    const again = await syncRepositories({ source: sourceClient, target: client, repositories: ['team/web', 'team/multi'] });

    // Assess
    expect(again.images.map((image) => image.status === 'skipped' && image.reason)).toEqual(['target-current', 'target-current']);
    expect(writes(requests)).toEqual([]);
    expect(requests.map((request) => `${request.method} ${request.path}`).sort()).toEqual(['HEAD /v2/team/multi/manifests/latest', 'HEAD /v2/team/web/manifests/v1']);
  });

  it('fails an image whose source blob is corrupt: the target verifies the digest the copy does not hash', async () => {
    // Prepare: flip one byte of a layer in the source registry's storage (same size, wrong content).
    const image = appImage('tampered', { layers: [{ seed: 'sync-tampered-only', size: 30_000 }] });
    await pushImage(sourceClient, 'team/tampered', 'v1', image);
    const layer = [...image.blobs.keys()].find((digest) => digest !== image.configDigest) ?? '';
    const hex = digestHex(layer);
    const file = path.join(source.rootDirectory, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
    const bytes = await readFile(file);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const { client } = targetClient();

    // Act
    const report = await syncRepositories({ source: sourceClient, target: client, repositories: ['team/tampered'] });

    // Assess
    const [result] = report.images;
    expect(result?.status).toBe('failed');
    expect(result?.status === 'failed' && result.error).toMatch(/DIGEST_INVALID|digest/i);
    expect(await client.headBlob('team/tampered', layer)).toBeNull();
    expect(await client.headManifest('team/tampered', 'v1')).toBeNull();
  });

  it('reports a failed image and an unknown repository and still copies the rest', async () => {
    // Prepare
    const broken = appImage('broken', { layers: [{ seed: 'sync-broken-only', size: 20_000 }] });
    const healthy = appImage('healthy');
    await pushImage(sourceClient, 'team/broken', 'v1', broken);
    await pushImage(sourceClient, 'team/healthy', 'v1', healthy);
    // Unlinks the layer from the source repository: its manifest stays, the blob GET now answers 404.
    const layer = [...broken.blobs.keys()].find((digest) => digest !== broken.configDigest) ?? '';
    const deleted = await fetch(`${source.url}/v2/team/broken/blobs/${layer}`, { method: 'DELETE' });
    const progress: SyncProgress[] = [];

    // Act
    const report = await syncRepositories({
      source: sourceClient,
      target: targetClient().client,
      repositories: ['team/broken', 'team/healthy', 'team/missing'],
      onProgress: (update) => progress.push(update),
    });

    // Assess
    expect(deleted.status).toBe(202);
    expect(report.images.map((image) => [image.repository, image.status])).toEqual([
      ['team/broken', 'failed'],
      ['team/healthy', 'copied'],
    ]);
    const failure = report.images[0];
    expect(failure?.status === 'failed' && failure.error).toContain(layer);
    expect(report.repositoryErrors.map((error) => error.repository)).toEqual(['team/missing']);
    expect(await new RegistryClient({ baseUrl: target.url }).headManifest('team/healthy', 'v1')).toMatchObject({ digest: healthy.manifestDigest });
    expect(await new RegistryClient({ baseUrl: target.url }).headManifest('team/broken', 'v1')).toBeNull();
    expect(progress.at(-1)).toMatchObject({ imagesTotal: 2, imagesDone: 2, imagesFailed: 1 });
    expect(report.state.images.map((entry) => entry.repository)).toEqual(['team/healthy']);
  });
});
