import { describe, expect, it } from 'vitest';
import { parsePlatform, selectPlatformManifests } from './platform.js';
import type { ImageIndex } from './schema.js';

function descriptor(hexChar: string, platform?: { os: string; architecture: string; variant?: string }): ImageIndex['manifests'][number] {
  return { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${hexChar.repeat(64)}`, size: 100, ...(platform === undefined ? {} : { platform }) };
}

const index: ImageIndex = {
  schemaVersion: 2,
  manifests: [
    descriptor('a', { os: 'linux', architecture: 'amd64' }),
    descriptor('b', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
    descriptor('c', { os: 'linux', architecture: 'arm', variant: 'v7' }),
    descriptor('d', { os: 'linux', architecture: 'arm', variant: 'v6' }),
    descriptor('e', { os: 'unknown', architecture: 'unknown' }),
    descriptor('f', { os: 'windows', architecture: 'amd64' }),
  ],
};

function digestsFor(platforms?: string[]): string[] {
  return selectPlatformManifests(index, platforms).map((child) => child.digest.slice(7, 8));
}

describe('selectPlatformManifests', () => {
  it('matches linux/arm64 to arm64/v8 and the reverse', () => {
    // Act
    const plain = digestsFor(['linux/arm64']);
    const withVariant = selectPlatformManifests({ schemaVersion: 2, manifests: [descriptor('9', { os: 'linux', architecture: 'arm64' })] }, ['linux/arm64/v8']);

    // Assess
    expect(plain).toEqual(['b']);
    expect(withVariant).toHaveLength(1);
  });

  it('keeps variants apart where they differ (arm v6 vs v7) and defaults linux/arm to v7', () => {
    // Act
    const results = [digestsFor(['linux/arm']), digestsFor(['linux/arm/v6']), digestsFor(['linux/amd64', 'linux/arm/v6'])];

    // Assess
    expect(results).toEqual([['c'], ['d'], ['a', 'd']]);
  });

  it('accepts architecture aliases and ignores case', () => {
    // Act
    const selected = digestsFor(['Linux/x86_64', 'linux/aarch64']);

    // Assess
    expect(selected).toEqual(['a', 'b']);
  });

  it('returns every child, attestations included, without a platform filter', () => {
    // Act
    const results = [digestsFor(), digestsFor([])];

    // Assess
    expect(results).toEqual([
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['a', 'b', 'c', 'd', 'e', 'f'],
    ]);
  });

  it('rejects malformed platform strings with the expected format', () => {
    // Act
    const attempts = ['linux', 'linux/', 'linux/arm64/v8/extra'].map((text) => () => parsePlatform(text));

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow('write os/architecture[/variant]');
  });
});
