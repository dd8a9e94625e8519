import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../src/client/index.js';
import { isImageIndex, MediaType, selectPlatformManifests } from '../src/manifest/index.js';
import { buildImage, buildIndex, writeOciLayout } from '../src/oci/index.js';
import { startDistribution } from '../src/testing/index.js';
import type { RunningDistribution } from '../src/testing/index.js';

const run = promisify(execFile);

let registry: RunningDistribution;
let workDir: string;

beforeAll(async () => {
  registry = await startDistribution({ name: 'skopeo-target' });
  workDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-oci-layout-'));
});

afterAll(async () => {
  await registry?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

async function skopeoCopy(layoutDir: string, ref: string, destination: string): Promise<void> {
  // An explicit policy keeps the test independent of the machine's /etc/containers/policy.json.
  const policy = path.join(workDir, 'policy.json');
  await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  try {
    await run('skopeo', ['--policy', policy, 'copy', '--all', '--dest-tls-verify=false', `oci:${layoutDir}:${ref}`, `docker://${destination}`]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('skopeo is not installed: apt-get install -y skopeo');
    throw error;
  }
}

describe('writeOciLayout + real skopeo copy', () => {
  it('writes a layout skopeo pushes unchanged (same digests) for an image and a multi-platform index', async () => {
    // Prepare
    const single = buildImage({ labels: { 'org.opencontainers.image.version': '1.0.0' }, layers: [{ seed: 'skopeo-single', size: 10_000 }] });
    const amd64 = buildImage({ layers: [{ seed: 'skopeo-shared', size: 5_000 }, { seed: 'skopeo-amd64', size: 1_000 }] });
    const arm64 = buildImage({ platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ seed: 'skopeo-shared', size: 5_000 }, { seed: 'skopeo-arm64', size: 1_000 }] });
    const multi = buildIndex([amd64, arm64]);
    const layoutDir = path.join(workDir, 'layout');
    await writeOciLayout(layoutDir, { v1: single, multi });
    const client = new RegistryClient({ baseUrl: registry.url });

    // Act
    await skopeoCopy(layoutDir, 'v1', `${registry.host}/skopeo/single:v1`);
    await skopeoCopy(layoutDir, 'multi', `${registry.host}/skopeo/multi:latest`);
    const readSingle = await client.getManifest('skopeo/single', 'v1');
    const readMulti = await client.getManifest('skopeo/multi', 'latest');
    const arm = isImageIndex(readMulti.manifest) ? selectPlatformManifests(readMulti.manifest, ['linux/arm64']) : [];
    const armManifest = await client.getManifest('skopeo/multi', arm[0]?.digest ?? 'missing');
    const armBlobs = await Promise.all([...arm64.blobs.keys()].map((digest) => client.drainBlob('skopeo/multi', digest)));

    // Assess
    expect(readSingle.digest).toBe(single.manifestDigest);
    expect(readMulti.digest).toBe(multi.manifestDigest);
    expect(readMulti.mediaType).toBe(MediaType.OciIndex);
    expect(arm.map((descriptor) => descriptor.digest)).toEqual([arm64.manifestDigest]);
    expect(armManifest.digest).toBe(arm64.manifestDigest);
    expect(armBlobs.map((blob) => blob.bytes)).toEqual([...arm64.blobs.values()].map((bytes) => bytes.length));
  });
});
