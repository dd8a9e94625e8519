import { parseConfigOrThrow } from '@dockmaster/core/config';
import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import { resolveTags } from '@dockmaster/core/prepopulate';
import { RegistryClient } from '@dockmaster/registry/client';
import { isImageIndex } from '@dockmaster/registry/manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstream } from './start-upstream.js';
import type { RunningUpstream } from './start-upstream.js';
import { exampleConfigText } from '@dockmaster/core/testing';


let k8s: PullThroughCacheConfig;
let upstream: RunningUpstream;
let client: RegistryClient;

beforeAll(async () => {
  const config = parseConfigOrThrow(exampleConfigText(), 'docs/examples/dockmaster.example.yaml');
  const rule = config.pullThroughCache.find((candidate) => candidate.prefix === 'k8s');
  if (rule === undefined) throw new Error('the example configuration has no k8s pull-through cache rule');
  k8s = rule;
  upstream = await startUpstream(k8s, { extraTags: { pause: ['latest'] } });
  client = new RegistryClient({ baseUrl: upstream.url });
});

afterAll(async () => {
  await upstream?.stop();
});

describe('startUpstream / seedUpstream with the example configuration', () => {
  it('serves every exact allow-list tag of the prefix under the upstream repository', async () => {
    // Prepare
    const exact = (k8s.prepopulate?.images ?? []).flatMap((entry) => (Array.isArray(entry.tags) ? entry.tags.map((tag) => ({ repository: entry.image, tag })) : []));

    // Act
    const found = await Promise.all(exact.map(async ({ repository, tag }) => ({ repository, tag, head: await client.headManifest(repository, tag) })));

    // Assess
    expect(exact.map(({ repository, tag }) => `${repository}:${tag}`)).toEqual(['pause:3.9', 'pause:3.10', 'coredns/coredns:v1.11.1']);
    for (const { repository, tag, head } of found) {
      expect(head?.digest, `${repository}:${tag}`).toBe(upstream.images.find((image) => image.repository === repository && image.tag === tag)?.digest);
    }
  });

  it('makes metrics-server a multi-platform index for linux/amd64 and linux/arm64 with OCI labels per image', async () => {
    // Prepare
    const seeded = upstream.images.find((image) => image.repository === 'metrics-server/metrics-server' && image.selected);

    // Act
    const index = await client.getManifest('metrics-server/metrics-server', seeded?.tag ?? 'missing');
    const children = isImageIndex(index.manifest) ? index.manifest.manifests : [];
    const arm = await client.getManifest('metrics-server/metrics-server', children[1]?.digest ?? 'missing');
    const armConfig = !isImageIndex(arm.manifest) ? await new Response(await client.openBlob('metrics-server/metrics-server', arm.manifest.config.digest)).json() : undefined;

    // Assess
    expect(children.map((child) => `${child.platform?.os}/${child.platform?.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(seeded?.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(armConfig).toMatchObject({
      architecture: 'arm64',
      config: { Labels: { 'org.opencontainers.image.source': 'https://registry.k8s.io/metrics-server/metrics-server', 'org.opencontainers.image.revision': expect.stringMatching(/^[0-9a-f]{40}$/) } },
    });
  });

  it('seeds tags in and out of the SemVer range, in the v-prefixed k8s style, and the range selects only the ones inside', async () => {
    // Act
    const tags = await client.listTags('metrics-server/metrics-server');
    const selected = resolveTags({ semver: '>=0.7.0 <0.8.0' }, tags).tags.map(({ tag }) => tag);

    // Assess
    expect(tags).toEqual(['v0.6.4', 'v0.7.0', 'v0.7.1', 'v0.7.2', 'v0.7.4', 'v0.8.0', 'v0.8.1', 'v0.8.2']);
    expect(selected).toEqual(['v0.7.0', 'v0.7.1', 'v0.7.2', 'v0.7.4']);
    expect(upstream.images.filter((image) => image.repository === 'metrics-server/metrics-server' && image.selected).map((image) => image.tag)).toEqual(selected);
  });

  it('is deterministic, shares the base layer across an upstream, and adds extra tags as unselected', async () => {
    // Act
    const pause = await client.getManifest('pause', '3.9');
    const coredns = await client.getManifest('coredns/coredns', 'v1.11.1');
    const again = await startUpstream(k8s);
    const againDigest = again.images.find((image) => image.repository === 'pause' && image.tag === '3.9')?.digest;
    await again.stop();

    // Assess
    const firstLayer = (manifest: typeof pause): string | undefined => (isImageIndex(manifest.manifest) ? undefined : manifest.manifest.layers[0]?.digest);
    expect(firstLayer(pause)).toBeDefined();
    expect(firstLayer(pause)).toBe(firstLayer(coredns));
    expect(pause.digest).not.toBe(coredns.digest);
    expect(againDigest).toBe(pause.digest);
    expect(upstream.images.find((image) => image.repository === 'pause' && image.tag === 'latest')).toMatchObject({ selected: false, platforms: ['linux/amd64'] });
  });
});
