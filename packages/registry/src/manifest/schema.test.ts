import { describe, expect, it } from 'vitest';
import { MediaType } from './media-types.js';
import { manifestReferences } from './references.js';
import { isImageIndex, parseManifestDocument } from './schema.js';

const config = { mediaType: MediaType.DockerConfig, digest: `sha256:${'1'.repeat(64)}`, size: 10 };
const layer = { mediaType: MediaType.DockerLayerGzip, digest: `sha256:${'2'.repeat(64)}`, size: 20 };

describe('parseManifestDocument', () => {
  it('parses a Docker v2 manifest and lists config then layers as references', () => {
    // Act
    const manifest = parseManifestDocument({ schemaVersion: 2, mediaType: MediaType.DockerManifest, config, layers: [layer] });

    // Assess
    expect(isImageIndex(manifest)).toBe(false);
    expect(manifestReferences(manifest).map((ref) => ref.digest)).toEqual([config.digest, layer.digest]);
  });

  it('recognises an OCI index without a mediaType field by its shape, and keeps unknown fields', () => {
    // Act
    const index = parseManifestDocument({ schemaVersion: 2, manifests: [{ ...layer, mediaType: MediaType.OciManifest, platform: { os: 'linux', architecture: 'amd64' } }], extra: true });

    // Assess
    expect(isImageIndex(index)).toBe(true);
    expect(index).toMatchObject({ extra: true });
    expect(manifestReferences(index).map((ref) => ref.digest)).toEqual([layer.digest]);
  });

  it('trusts the served media type over the shape and rejects bad digests', () => {
    // Act
    const wrongKind = () => parseManifestDocument({ schemaVersion: 2, config, layers: [] }, MediaType.OciIndex);
    const badDigest = () => parseManifestDocument({ schemaVersion: 2, config: { ...config, digest: 'sha256:xyz' }, layers: [] });

    // Assess
    expect(wrongKind).toThrow();
    expect(badDigest).toThrow('OCI digest');
  });

  it('accepts a Docker manifest list with arm/v7 children', () => {
    // Prepare
    const json = {
      schemaVersion: 2,
      mediaType: MediaType.DockerManifestList,
      manifests: [{ mediaType: MediaType.DockerManifest, size: 1_234, digest: layer.digest, platform: { architecture: 'arm', os: 'linux', variant: 'v7' } }],
    };

    // Act
    const parsed = parseManifestDocument(json, MediaType.DockerManifestList);

    // Assess
    expect(parsed).toEqual(json);
  });
});
