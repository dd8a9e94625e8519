import { readFile } from 'node:fs/promises';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { RegistryClient } from '@dockmaster/registry/client';
import { isImageIndex } from '@dockmaster/registry/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream } from './start-upstream.js';
import type { RunningUpstream } from './start-upstream.js';

/* The stand-in upstream of a copy-mode entry: its images are multi-platform, since a copy takes them whole. */

const COPY_CONFIG = new URL('../../../../docs/examples/copy-mode.yaml', import.meta.url);

let upstream: RunningUpstream;

beforeAll(async () => {
  const config = parseConfigOrThrow(await readFile(COPY_CONFIG, 'utf8'), 'docs/examples/copy-mode.yaml');
  const [mcr] = config.pullThroughCache;
  if (mcr === undefined) throw new Error('the copy-mode example has no pullThroughCache entry');
  upstream = await startUpstream(mcr);
});

afterAll(async () => {
  await upstream?.stop();
});

describe('startUpstream for a copy-mode entry', () => {
  it('seeds every allow-listed image as a linux/amd64 + linux/arm64 index under its upstream path', async () => {
    // Prepare
    const client = new RegistryClient({ baseUrl: upstream.url });
    const selected = upstream.images.filter((image) => image.selected);

    // Act
    const indexes = await Promise.all(selected.map(async (image) => (await client.getManifest(image.repository, image.tag)).manifest));

    // Assess
    expect(selected.map((image) => `${image.repository}:${image.tag}`)).toEqual(expect.arrayContaining(['dotnet/runtime:8.0', 'dotnet/runtime:9.0']));
    expect(selected.every((image) => image.platforms.join(',') === 'linux/amd64,linux/arm64/v8')).toBe(true);
    for (const index of indexes) expect(isImageIndex(index) && index.manifests.map((child) => child.platform?.architecture)).toEqual(['amd64', 'arm64']);
  });
});
