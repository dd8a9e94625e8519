import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, RegistryErrorCode } from '../src/client/index.js';
import { digestHex, isImageIndex, manifestReferences, MediaType, sha256Digest } from '../src/manifest/index.js';
import { buildImage, buildIndex, pushImage } from '../src/oci/index.js';
import { startDistribution } from '../src/testing/index.js';
import type { RunningDistribution } from '../src/testing/index.js';

let registry: RunningDistribution;
let client: RegistryClient;

function blobPath(root: string, digest: string): string {
  const hex = digestHex(digest);
  return path.join(root, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

beforeAll(async () => {
  registry = await startDistribution({ name: 'client-e2e' });
  client = new RegistryClient({ baseUrl: registry.url });
});

afterAll(async () => {
  await registry?.stop();
});

describe('RegistryClient against a real Distribution registry', () => {
  it('pushes a built image with pushImage and reads back the same manifest, config and layers', async () => {
    // Prepare
    const image = buildImage({
      repositoryHint: 'team/app',
      labels: { 'org.opencontainers.image.revision': 'abc123' },
      annotations: { 'org.opencontainers.image.version': '1.2.3' },
      layers: [{ seed: 'base', size: 4096 }, { seed: 'app', size: 70_000 }],
    });

    // Act
    const pushedDigest = await pushImage(client, 'team/app', 'v1', image);
    const read = await client.getManifest('team/app', 'v1');
    const head = await client.headManifest('team/app', 'v1');
    const config = JSON.parse(new TextDecoder().decode(image.config));
    const references = manifestReferences(read.manifest);
    const drained = await Promise.all(references.map((ref) => client.drainBlob('team/app', ref.digest, { expectedSize: ref.size })));

    // Assess
    expect(pushedDigest).toBe(image.manifestDigest);
    expect(read.digest).toBe(image.manifestDigest);
    expect(read.mediaType).toBe(MediaType.OciManifest);
    expect(Buffer.from(read.bytes).equals(Buffer.from(image.manifest))).toBe(true);
    expect(isImageIndex(read.manifest)).toBe(false);
    expect(read.manifest.annotations).toEqual({ 'org.opencontainers.image.version': '1.2.3' });
    expect(head).toEqual({ digest: image.manifestDigest, mediaType: MediaType.OciManifest, size: image.manifest.length });
    expect(references.map((ref) => ref.digest)).toEqual([...image.blobs.keys()]);
    expect(drained.map((result) => result.bytes)).toEqual([...image.blobs.values()].map((bytes) => bytes.length));
    expect(config.config.Labels).toEqual({ 'org.opencontainers.image.revision': 'abc123' });
  });

  it('pushes an index with its children and reads each platform manifest by digest', async () => {
    // Prepare
    const amd64 = buildImage({ layers: [{ seed: 'multi-amd64', size: 2048 }] });
    const arm64 = buildImage({ platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ seed: 'multi-arm64', size: 2048 }] });
    const index = buildIndex([amd64, arm64], { 'org.opencontainers.image.source': 'https://example.com/multi' });

    // Act
    await pushImage(client, 'team/multi', 'latest', index);
    const read = await client.getManifest('team/multi', 'latest');
    const child = await client.getManifest('team/multi', arm64.manifestDigest);

    // Assess
    expect(read.digest).toBe(index.manifestDigest);
    expect(read.mediaType).toBe(MediaType.OciIndex);
    expect(isImageIndex(read.manifest)).toBe(true);
    expect(manifestReferences(read.manifest).map((ref) => [ref.digest, ref.platform?.architecture])).toEqual([
      [amd64.manifestDigest, 'amd64'],
      [arm64.manifestDigest, 'arm64'],
    ]);
    expect(child.digest).toBe(arm64.manifestDigest);
    expect(sha256Digest(child.bytes)).toBe(arm64.manifestDigest);
  });

  it('needs the Accept header the client sends: without it the registry hides OCI manifests', async () => {
    // Prepare
    const image = buildImage({ layers: [{ seed: 'accept', size: 100 }] });
    await pushImage(client, 'team/accept', 'v1', image);

    // Act
    const bare = await fetch(`${registry.url}/v2/team/accept/manifests/v1`);
    const bareBody = (await bare.json()) as { errors: { code: string }[] };
    const viaClient = await client.getManifest('team/accept', 'v1');

    // Assess
    expect(bare.status).toBe(404);
    expect(bareBody.errors[0]?.code).toBe('MANIFEST_UNKNOWN');
    expect(viaClient.digest).toBe(image.manifestDigest);
  });

  it('lists tags sorted and de-duplicated whatever order the registry returns', async () => {
    // Prepare
    const image = buildImage({ layers: [{ seed: 'tags', size: 100 }] });
    const tags = ['v2', 't-d', 'b', 'a-1', 'latest', 'C'];
    for (const tag of tags) await pushImage(client, 'team/tags', tag, image);

    // Act
    const raw = (await (await fetch(`${registry.url}/v2/team/tags/tags/list`)).json()) as { tags: string[] };
    const listed = await client.listTags('team/tags');

    // Assess
    expect([...raw.tags].sort()).toEqual([...tags].sort());
    expect(listed).toEqual(['C', 'a-1', 'b', 'latest', 't-d', 'v2']);
  });

  it('returns [] for a repository whose tags were all deleted ({"tags":null}) and reports whether a delete did anything', async () => {
    // Prepare
    const image = buildImage({ layers: [{ seed: 'deleted', size: 100 }] });
    await pushImage(client, 'team/gone', 'v1', image);

    // Act
    const first = await client.deleteManifest('team/gone', image.manifestDigest);
    const second = await client.deleteManifest('team/gone', image.manifestDigest);
    const raw = await (await fetch(`${registry.url}/v2/team/gone/tags/list`)).json();
    const listed = await client.listTags('team/gone');
    const head = await client.headManifest('team/gone', 'v1');

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(raw).toEqual({ name: 'team/gone', tags: null });
    expect(listed).toEqual([]);
    expect(head).toBeNull();
  });

  it('refuses to delete by tag, since the registry would remove the digest for every tag', async () => {
    // Act
    const attempt = client.deleteManifest('team/app', 'v1');

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: RegistryErrorCode.DigestInvalid });
  });

  it('reports missing manifests and repositories with the OCI error code', async () => {
    // Act
    const [missingTag, missingRepo] = await Promise.allSettled([client.getManifest('team/app', 'does-not-exist'), client.listTags('team/nothing-here')]);

    // Assess
    expect(missingTag).toMatchObject({ status: 'rejected', reason: { name: 'RegistryError', status: 404, code: RegistryErrorCode.ManifestUnknown, request: { method: 'GET' } } });
    expect(missingRepo).toMatchObject({ status: 'rejected', reason: { status: 404, code: RegistryErrorCode.NameUnknown } });
  });

  it('follows catalog pagination', async () => {
    // Prepare
    const image = buildImage({ layers: [{ seed: 'catalog', size: 100 }] });
    for (const name of ['cat/a', 'cat/b', 'cat/c']) await pushImage(client, name, 'v1', image);

    // Act
    const firstPage = await fetch(`${registry.url}/v2/_catalog?n=2`);
    const repositories = await client.catalog({ pageSize: 2 });

    // Assess
    expect(firstPage.headers.get('link')).toContain('rel="next"');
    expect(repositories).toEqual(expect.arrayContaining(['cat/a', 'cat/b', 'cat/c']));
    expect(repositories).toEqual([...repositories].sort());
  });

  it('uploads a blob from a stream and finds it with headBlob', async () => {
    // Prepare
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
    const digest = sha256Digest(bytes);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 65_536) controller.enqueue(bytes.slice(at, at + 65_536));
        controller.close();
      },
    });

    // Act
    const before = await client.headBlob('team/stream', digest);
    await client.uploadBlob('team/stream', digest, body, bytes.length);
    const after = await client.headBlob('team/stream', digest);

    // Assess
    expect(before).toBeNull();
    expect(after).toBe(bytes.length);
  });

  it('rejects a blob upload whose bytes do not match the digest', async () => {
    // Prepare
    const bytes = new TextEncoder().encode('hello');
    const wrongDigest = sha256Digest(new TextEncoder().encode('world'));

    // Act
    const attempt = client.uploadBlob('team/stream', wrongDigest, bytes, bytes.length);

    // Assess
    await expect(attempt).rejects.toMatchObject({ status: 400, code: RegistryErrorCode.DigestInvalid });
  });

  it('mounts a blob across repositories, and falls back (false) when the source lacks it', async () => {
    // Prepare
    const image = buildImage({ layers: [{ seed: 'mount', size: 1000 }] });
    await pushImage(client, 'mount/source', 'v1', image);
    const [layerDigest] = [...image.blobs.keys()].slice(1);
    const unknown = sha256Digest(new TextEncoder().encode('not pushed anywhere'));

    // Act
    const mounted = await client.mountBlob('mount/target', layerDigest ?? '', 'mount/source');
    const fallback = await client.mountBlob('mount/target', unknown, 'mount/source');
    const present = await client.headBlob('mount/target', layerDigest ?? '');

    // Assess
    expect(mounted).toBe(true);
    expect(fallback).toBe(false);
    expect(present).toBe(image.blobs.get(layerDigest ?? '')?.length);
  });

  it('drainBlob and openBlob throw when the stored bytes do not hash to the digest (tampered storage)', async () => {
    // Prepare
    const image = buildImage({ layers: [{ seed: 'tamper', size: 5000 }] });
    await pushImage(client, 'team/tamper', 'v1', image);
    const [layerDigest = ''] = [...image.blobs.keys()].slice(1);
    const file = blobPath(registry.rootDirectory, layerDigest);
    const original = await readFile(file);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 100] = (tampered[tampered.length - 100] ?? 0) ^ 0xff;
    await writeFile(file, tampered);

    // Act
    const [drain, streamed] = await Promise.allSettled([
      client.drainBlob('team/tamper', layerDigest),
      (async () => {
        const stream = await client.openBlob('team/tamper', layerDigest);
        for await (const chunk of stream) void chunk;
      })(),
    ]);

    // Assess
    expect(drain).toMatchObject({ status: 'rejected', reason: { code: RegistryErrorCode.DigestMismatch } });
    expect(streamed).toMatchObject({ status: 'rejected', reason: { code: RegistryErrorCode.DigestMismatch } });
  });

  it('drainBlob throws when the blob size differs from the descriptor size', async () => {
    // Prepare
    const image = buildImage({ layers: [{ seed: 'size', size: 500 }] });
    await pushImage(client, 'team/size', 'v1', image);
    const [layerDigest = ''] = [...image.blobs.keys()].slice(1);
    const actualSize = image.blobs.get(layerDigest)?.length ?? 0;

    // Act
    const drain = client.drainBlob('team/size', layerDigest, { expectedSize: actualSize + 1 });

    // Assess
    await expect(drain).rejects.toMatchObject({ code: RegistryErrorCode.SizeMismatch });
  });
});
