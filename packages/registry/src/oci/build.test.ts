import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MediaType, parseManifestDocument, sha256Digest } from '../manifest/index.js';
import { buildImage, buildIndex } from './build.js';
import { gzipStored } from './gzip.js';

function json(bytes: Uint8Array): any {
  return JSON.parse(new TextDecoder().decode(bytes));
}

describe('buildImage', () => {
  it('is deterministic: same options give the same bytes and digests', () => {
    // Prepare
    const options = { labels: { a: '1' }, layers: [{ seed: 'base', size: 100_000 }] };

    // Act
    const first = buildImage(options);
    const second = buildImage(options);

    // Assess
    expect(second.manifestDigest).toBe(first.manifestDigest);
    expect(second.configDigest).toBe(first.configDigest);
    expect([...second.blobs.keys()]).toEqual([...first.blobs.keys()]);
    expect(first.manifestDigest).toBe(sha256Digest(first.manifest));
  });

  it('changes digests with the seed, the labels and the repository hint, and shares equal layers', () => {
    // Prepare
    const base = { layers: [{ seed: 'shared', size: 1_000 }] };

    // Act
    const plain = buildImage(base);
    const otherSeed = buildImage({ layers: [{ seed: 'other', size: 1_000 }] });
    const labelled = buildImage({ ...base, labels: { team: 'x' } });
    const hinted = buildImage({ ...base, repositoryHint: 'team/app' });

    // Assess
    const digests = [plain, otherSeed, labelled, hinted].map((image) => image.manifestDigest);
    expect(new Set(digests).size).toBe(4);
    const layerOf = (image: typeof plain) => [...image.blobs.keys()][1];
    expect(layerOf(labelled)).toBe(layerOf(plain));
    expect(layerOf(hinted)).toBe(layerOf(plain));
    expect(layerOf(otherSeed)).not.toBe(layerOf(plain));
  });

  it('writes a valid OCI manifest and config whose diff_ids are the uncompressed tar digests', () => {
    // Prepare
    const image = buildImage({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      labels: { 'org.opencontainers.image.revision': 'abc' },
      annotations: { 'org.opencontainers.image.version': '2.0.0' },
      layers: [{ seed: 'one', size: 1_500 }, { seed: 'two', size: 0 }],
    });

    // Act
    const manifest = parseManifestDocument(json(image.manifest));
    const config = json(image.config);
    const layers = [...image.blobs].slice(1).map(([, blob]) => gunzipSync(blob));

    // Assess
    expect(manifest).toMatchObject({
      mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.OciConfig, digest: image.configDigest, size: image.config.length },
      annotations: { 'org.opencontainers.image.version': '2.0.0' },
    });
    expect(config).toMatchObject({ os: 'linux', architecture: 'arm64', variant: 'v8', config: { Labels: { 'org.opencontainers.image.revision': 'abc' } } });
    expect(config.rootfs.diff_ids).toEqual(layers.map((tar) => sha256Digest(tar)));
    // ustar: header block with the magic, payload padded to 512, two zero blocks.
    expect(layers.map((tar) => tar.length)).toEqual([512 + 1_536 + 1_024, 512 + 0 + 1_024]);
    expect(layers[0]?.subarray(257, 262).toString()).toBe('ustar');
    expect(layers[0]?.subarray(124, 135).toString()).toBe((1_500).toString(8).padStart(11, '0'));
  });
});

describe('gzipStored', () => {
  it('round-trips through zlib for empty, small and multi-block inputs', () => {
    // Prepare
    const inputs = [new Uint8Array(0), new TextEncoder().encode('hello'), new Uint8Array(200_000).map((_, i) => i % 256)];

    // Act
    const roundTripped = inputs.map((input) => gunzipSync(gzipStored(input)));

    // Assess
    roundTripped.forEach((output, i) => expect(Buffer.compare(output, Buffer.from(inputs[i] ?? []))).toBe(0));
  });
});

describe('buildIndex', () => {
  it('lists each image with its platform and merges their blobs', () => {
    // Prepare
    const amd64 = buildImage({ layers: [{ seed: 'shared', size: 10 }, { seed: 'amd', size: 10 }] });
    const arm64 = buildImage({ platform: { os: 'linux', architecture: 'arm64' }, layers: [{ seed: 'shared', size: 10 }, { seed: 'arm', size: 10 }] });

    // Act
    const index = buildIndex([amd64, arm64], { 'org.opencontainers.image.source': 'https://example.com' });
    const parsed = json(index.manifest);

    // Assess
    expect(index.manifestDigest).toBe(sha256Digest(index.manifest));
    expect(parsed.manifests).toEqual([
      { mediaType: MediaType.OciManifest, digest: amd64.manifestDigest, size: amd64.manifest.length, platform: { architecture: 'amd64', os: 'linux' } },
      { mediaType: MediaType.OciManifest, digest: arm64.manifestDigest, size: arm64.manifest.length, platform: { architecture: 'arm64', os: 'linux' } },
    ]);
    expect(parsed.annotations).toEqual({ 'org.opencontainers.image.source': 'https://example.com' });
    // 2 configs + 1 shared layer + 2 own layers
    expect(index.blobs.size).toBe(5);
  });
});
