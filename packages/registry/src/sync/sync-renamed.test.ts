import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../client/index.js';
import { buildImage, buildIndex, pushImage } from '../oci/index.js';
import type { BuiltImage } from '../oci/index.js';
import { startDistribution } from '../testing/index.js';
import type { RunningDistribution } from '../testing/index.js';
import { countingClient, manifestPuts, type RecordedRequest } from './recording-client.testing.js';
import { SyncStateSchema } from './state-schema.js';
import { isSyncState, parseSyncState } from './state.js';
import { syncRepositories } from './sync.js';

/*
 * Copies into differently named target repositories, of chosen tags only (what the prepopulate worker's copy
 * mode asks of the engine), against two real Distribution registries. The clients record their requests.
 */

const paths = (requests: readonly RecordedRequest[]) => requests.map((request) => `${request.method} ${request.path}`);

const image = (name: string, platform?: BuiltImage['platform']): BuiltImage =>
  buildImage({
    repositoryHint: name,
    ...(platform === undefined ? {} : { platform }),
    layers: [
      { seed: `renamed-base-${platform?.architecture ?? 'amd64'}`, size: 200_000 },
      { seed: `renamed-app-${name}`, size: 30_000 },
    ],
  });
const runtimeIndex = () => buildIndex([image('runtime-8.0-amd64'), image('runtime-8.0-arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' })]);

let source: RunningDistribution;
let target: RunningDistribution;
let seed: RegistryClient;

beforeEach(async () => {
  [source, target] = await Promise.all([startDistribution({ name: 'renamed-source' }), startDistribution({ name: 'renamed-target' })]);
  seed = new RegistryClient({ baseUrl: source.url, transport: 'node-http' });
});

afterEach(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
});

describe('syncRepositories into renamed repositories, chosen tags only', () => {
  it('copies a multi-platform index and a single image under the new name with the source digests, children first, other tags left alone', async () => {
    // Prepare
    const index = runtimeIndex();
    const single = image('runtime-7.0');
    await pushImage(seed, 'dotnet/runtime', '8.0', index);
    await pushImage(seed, 'dotnet/runtime', '7.0', single);
    await pushImage(seed, 'dotnet/runtime', '6.0', image('runtime-6.0'));
    const { client, requests } = countingClient(target.url);
    const check = new RegistryClient({ baseUrl: target.url });

    // Act
    const report = await syncRepositories({
      source: seed,
      target: client,
      repositories: [{ source: 'dotnet/runtime', target: 'mcr/dotnet/runtime', tags: ['8.0', '7.0'] }],
    });

    // Assess
    expect(report.images.map((result) => [result.repository, result.targetRepository, result.tag, result.status, result.digest])).toEqual([
      ['dotnet/runtime', 'mcr/dotnet/runtime', '7.0', 'copied', single.manifestDigest],
      ['dotnet/runtime', 'mcr/dotnet/runtime', '8.0', 'copied', index.manifestDigest],
    ]);
    expect(await check.listTags('mcr/dotnet/runtime')).toEqual(['7.0', '8.0']);
    const copiedIndex = await check.getManifest('mcr/dotnet/runtime', '8.0');
    expect(copiedIndex.digest).toBe(index.manifestDigest);
    expect(Buffer.from(copiedIndex.bytes).equals(Buffer.from(index.manifest))).toBe(true);
    for (const child of index.children) expect((await check.headManifest('mcr/dotnet/runtime', child.manifestDigest))?.digest).toBe(child.manifestDigest);
    const indexPuts = manifestPuts(requests).map((request) => request.path.split('/manifests/')[1]).filter((reference) => reference !== '7.0');
    expect(new Set(indexPuts.slice(0, 2))).toEqual(new Set(index.children.map((child) => child.manifestDigest)));
    expect(indexPuts[2]).toBe('8.0');
    expect(requests.every((request) => request.path.startsWith('/v2/mcr/dotnet/runtime/'))).toBe(true);
    expect(report.state.images.map((entry) => [entry.repository, entry.tag, entry.targetRepository])).toEqual([
      ['dotnet/runtime', '7.0', 'mcr/dotnet/runtime'],
      ['dotnet/runtime', '8.0', 'mcr/dotnet/runtime'],
    ]);
  });

  it('fails a chosen tag the source lacks on its own, with the registry code, and keeps the state of tags it did not choose', async () => {
    // Prepare
    const single = image('runtime-7.0');
    await pushImage(seed, 'dotnet/runtime', '7.0', single);
    const kept = { source: source.url, repository: 'dotnet/runtime', tag: '6.0', digest: `sha256:${'c'.repeat(64)}`, target: target.url, targetRepository: 'mcr/dotnet/runtime' };

    // Act
    const report = await syncRepositories({
      source: seed,
      target: countingClient(target.url).client,
      repositories: [{ source: 'dotnet/runtime', target: 'mcr/dotnet/runtime', tags: ['7.0', '9.9'] }],
      state: { version: 1, images: [kept] },
    });

    // Assess
    expect(report.images.map((result) => [result.tag, result.status])).toEqual([
      ['7.0', 'copied'],
      ['9.9', 'failed'],
    ]);
    expect(report.images[1]).toMatchObject({ httpStatus: 404, code: 'MANIFEST_UNKNOWN', error: expect.stringContaining('has no tag 9.9') });
    expect(report.state.images.map((entry) => entry.tag)).toEqual(['6.0', '7.0']);
  });

  it('with state, an unchanged chosen tag costs one HEAD at the source and nothing at the target; with its digest given, not even that', async () => {
    // Prepare
    const index = runtimeIndex();
    await pushImage(seed, 'dotnet/runtime', '8.0', index);
    const first = await syncRepositories({ source: seed, target: countingClient(target.url).client, repositories: [{ source: 'dotnet/runtime', target: 'mcr/dotnet/runtime', tags: ['8.0'] }] });
    const countedSource = countingClient(source.url);
    const countedTarget = countingClient(target.url);
    const resolvedSource = countingClient(source.url);

    // Act
    const again = await syncRepositories({
      source: countedSource.client,
      target: countedTarget.client,
      repositories: [{ source: 'dotnet/runtime', target: 'mcr/dotnet/runtime', tags: ['8.0'] }],
      state: first.state,
    });
    const resolved = await syncRepositories({
      source: resolvedSource.client,
      target: countedTarget.client,
      repositories: [{ source: 'dotnet/runtime', target: 'mcr/dotnet/runtime', tags: [{ tag: '8.0', digest: index.manifestDigest }] }],
      state: first.state,
    });

    // Assess
    expect(first.imagesCopied).toBe(1);
    expect(again.images).toEqual([{ repository: 'dotnet/runtime', targetRepository: 'mcr/dotnet/runtime', tag: '8.0', status: 'skipped', digest: index.manifestDigest, reason: 'state' }]);
    expect(paths(countedSource.requests)).toEqual(['HEAD /v2/dotnet/runtime/manifests/8.0']);
    expect(resolved.images[0]).toMatchObject({ status: 'skipped', reason: 'state' });
    expect(resolvedSource.requests).toEqual([]);
    expect(countedTarget.requests).toEqual([]);
    expect(again.stateChanged).toBe(false);
  });

  it('copies one source repository into two targets: each blob is uploaded once and mounted into the other, with one state entry per target', async () => {
    // Prepare
    const single = image('runtime-7.0');
    await pushImage(seed, 'dotnet/runtime', '7.0', single);
    const { client, requests } = countingClient(target.url);

    // Act
    const report = await syncRepositories({
      source: seed,
      target: client,
      repositories: [
        { source: 'dotnet/runtime', target: 'mcr/dotnet/runtime', tags: ['7.0'] },
        { source: 'dotnet/runtime', target: 'mirror/dotnet/runtime', tags: ['7.0'] },
      ],
      concurrency: 4,
    });

    // Assess
    expect(report.images.map((result) => [result.targetRepository, result.status, result.digest])).toEqual([
      ['mcr/dotnet/runtime', 'copied', single.manifestDigest],
      ['mirror/dotnet/runtime', 'copied', single.manifestDigest],
    ]);
    expect(report.blobsUploaded).toBe(single.blobs.size);
    expect(report.blobsMounted).toBe(single.blobs.size);
    const mountSources = requests.filter((request) => request.method === 'POST' && request.query.has('mount')).map((request) => request.query.get('from'));
    expect(mountSources).toHaveLength(single.blobs.size);
    expect(new Set(mountSources).size).toBe(1);
    expect(report.state.images.map((entry) => entry.targetRepository)).toEqual(['mcr/dotnet/runtime', 'mirror/dotnet/runtime']);
  });
});

describe('sync state with renamed targets', () => {
  it('accepts targetRepository by the fast path exactly as the zod schema does, and rejects an empty one', async () => {
    // Prepare
    const entry = { source: 'http://src', repository: 'dotnet/runtime', tag: '8.0', digest: `sha256:${'a'.repeat(64)}`, target: 'http://dst' };
    const documents: unknown[] = [
      { version: 1, images: [{ ...entry, targetRepository: 'mcr/dotnet/runtime' }] },
      { version: 1, images: [{ ...entry, targetRepository: '' }] },
      { version: 1, images: [{ ...entry, targetRepository: 7 }] },
      { version: 1, images: [{ ...entry, targetRepository: 'mcr/x', extra: 'x' }] },
    ];

    // Act
    const verdicts = documents.map((document) => [isSyncState(document), SyncStateSchema.safeParse(document).success]);

    // Assess
    expect(verdicts).toEqual([
      [true, true],
      [false, false],
      [false, false],
      [false, false],
    ]);
    expect(await parseSyncState(documents[0])).toEqual(documents[0]);
  });
});
