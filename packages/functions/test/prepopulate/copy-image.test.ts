import type { WarmTarget } from '@dockmaster/core/prepopulate';
import { pushImage, RegistryClient, type RetryOptions } from '@dockmaster/registry';
import { type RunningDistribution, startDistribution } from '@dockmaster/registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyImage, type CopyImageInput } from '../../src/prepopulate/copy-image.js';
import { UpstreamCredentialsError } from '../../src/adapters/upstream-endpoint.js';
import { warmFailure } from '../../src/prepopulate/warm-failure.js';
import { singleImage, twoPlatformIndex } from './cache-pair.js';

/*
 * Copy mode against two real Distribution registries: a stand-in for mcr.microsoft.com (the upstream, images
 * under their upstream paths) and one standing in for ECR (the copies land under mcr/). Both clients record
 * every request, so the tests can say what an unchanged tag costs.
 */

type Recorded = { method: string; path: string };

let upstream: RunningDistribution;
let registry: RunningDistribution;

const recordingClient = (baseUrl: string, extra: { fetch?: typeof fetch; retry?: RetryOptions } = {}) => {
  const requests: Recorded[] = [];
  const client = new RegistryClient({ baseUrl, transport: 'node-http', onRequest: (method, url) => requests.push({ method, path: url.pathname }), ...extra });
  return { client, requests };
};

const target = (image: string, extra: Partial<WarmTarget> = {}): WarmTarget => ({
  prefix: 'mcr',
  upstream: 'mcr.microsoft.com',
  mode: 'copy',
  image,
  repository: `mcr/${image}`,
  selector: ['8.0'],
  ...extra,
});

const copy = (input: Partial<CopyImageInput> & Pick<CopyImageInput, 'target' | 'tag'>, ensured: string[] = []) => {
  const source = recordingClient(upstream.url);
  const destination = recordingClient(registry.url);
  const run = copyImage({
    upstream: async () => source.client,
    registry: destination.client,
    ensureRepository: async () => {
      ensured.push(input.target.repository);
      return undefined;
    },
    concurrency: 4,
    ...input,
  });
  return { run, source, destination };
};

beforeEach(async () => {
  [upstream, registry] = await Promise.all([startDistribution({ name: 'copy-upstream' }), startDistribution({ name: 'copy-registry' })]);
});

afterEach(async () => {
  await Promise.all([upstream?.stop(), registry?.stop()]);
});

describe('copyImage against real registries', () => {
  it('copies a multi-platform image whole into <prefix>/<image> with the upstream digest, creating the repository first', async () => {
    // Prepare
    const index = twoPlatformIndex('runtime', '8.0');
    await pushImage(new RegistryClient({ baseUrl: upstream.url }), 'dotnet/runtime', '8.0', index);
    const ensured: string[] = [];
    const check = new RegistryClient({ baseUrl: registry.url });

    // Act
    const { run, destination } = copy({ target: target('dotnet/runtime'), tag: '8.0' }, ensured);
    const result = await run;

    // Assess
    expect(result).toEqual({
      status: 'warmed',
      reason: 'new',
      digest: index.manifestDigest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      bytes: [...index.blobs.values()].reduce((sum, blob) => sum + blob.length, 0),
      blobs: index.blobs.size,
      platforms: ['linux/amd64', 'linux/arm64/v8'],
    });
    expect(ensured).toEqual(['mcr/dotnet/runtime']);
    expect((await check.headManifest('mcr/dotnet/runtime', '8.0'))?.digest).toBe(index.manifestDigest);
    for (const child of index.children) expect((await check.headManifest('mcr/dotnet/runtime', child.manifestDigest))?.digest).toBe(child.manifestDigest);
    expect(destination.requests.every((request) => request.path.startsWith('/v2/mcr/dotnet/runtime/'))).toBe(true);
  });

  it('costs one upstream HEAD and nothing else when the tag is unchanged since the last copy', async () => {
    // Prepare
    const image = singleImage('runtime', '8.0');
    await pushImage(new RegistryClient({ baseUrl: upstream.url }), 'dotnet/runtime', '8.0', image);
    const ensured: string[] = [];

    // Act
    const { run, source, destination } = copy({ target: target('dotnet/runtime'), tag: '8.0', lastWarmedDigest: image.manifestDigest }, ensured);
    const result = await run;

    // Assess
    expect(result).toEqual({ status: 'unchanged', digest: image.manifestDigest });
    expect(source.requests).toEqual([{ method: 'HEAD', path: '/v2/dotnet/runtime/manifests/8.0' }]);
    expect(destination.requests).toEqual([]);
    expect(ensured).toEqual([]);
  });

  it('copies a tag that moved upstream again (reason moved), skipping the blobs the repository already has', async () => {
    // Prepare
    const seed = new RegistryClient({ baseUrl: upstream.url });
    const first = singleImage('runtime', '8.0', 2);
    await pushImage(seed, 'dotnet/runtime', '8.0', first);
    await copy({ target: target('dotnet/runtime'), tag: '8.0' }).run;
    const moved = singleImage('runtime', '8.0.1', 2);
    await pushImage(seed, 'dotnet/runtime', '8.0', moved);

    // Act
    const result = await copy({ target: target('dotnet/runtime'), tag: '8.0', lastWarmedDigest: first.manifestDigest }).run;

    // Assess
    expect(result).toMatchObject({ status: 'warmed', reason: 'moved', digest: moved.manifestDigest, blobs: moved.blobs.size, platforms: [] });
    expect((await new RegistryClient({ baseUrl: registry.url }).headManifest('mcr/dotnet/runtime', '8.0'))?.digest).toBe(moved.manifestDigest);
  });

  it('copies nothing when upstream moved a pinned tag, and says so', async () => {
    // Prepare
    const image = singleImage('runtime', '8.0');
    await pushImage(new RegistryClient({ baseUrl: upstream.url }), 'dotnet/runtime', '8.0', image);
    const pin = `sha256:${'0'.repeat(64)}`;

    // Act
    const { run, destination } = copy({ target: target('dotnet/runtime'), tag: '8.0', pinnedDigest: pin });
    const result = await run;

    // Assess
    expect(result).toMatchObject({ status: 'failed', digest: image.manifestDigest, failure: { reason: 'other' } });
    expect(result.status === 'failed' && result.failure.message).toContain(`but the allow-list pins it to ${pin}; nothing was copied`);
    expect(destination.requests).toEqual([]);
  });

  it('reports a tag the upstream lacks as missing-upstream, without creating the repository', async () => {
    // Prepare
    const ensured: string[] = [];

    // Act
    const result = await copy({ target: target('dotnet/runtime'), tag: '9.9' }, ensured).run;

    // Assess
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'missing-upstream' } });
    expect(result.status === 'failed' && result.failure.message).toContain('mcr.microsoft.com/dotnet/runtime:9.9 does not exist');
    expect(ensured).toEqual([]);
  });

  it('pushes nothing when the repository could not be created, and passes on why', async () => {
    // Prepare
    await pushImage(new RegistryClient({ baseUrl: upstream.url }), 'dotnet/runtime', '8.0', singleImage('runtime', '8.0'));
    const refusal = warmFailure('access-denied', 'Creating mcr/dotnet/runtime for the copy failed: not authorized');

    // Act
    const { run, destination } = copy({ target: target('dotnet/runtime'), tag: '8.0', ensureRepository: async () => refusal });
    const result = await run;

    // Assess
    expect(result).toMatchObject({ status: 'failed', failure: refusal });
    expect(destination.requests).toEqual([]);
  });

  it('reports unusable upstream credentials as access-denied, with what to fix', async () => {
    // Prepare
    const error = new UpstreamCredentialsError('arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/mcr-AbCdEf', 'could not be read (ResourceNotFoundException)');

    // Act
    const result = await copy({
      target: target('dotnet/runtime'),
      tag: '8.0',
      upstream: async () => {
        throw error;
      },
    }).run;

    // Assess
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'access-denied' } });
    expect(result.status === 'failed' && result.failure.message).toContain('Fix the secret named by credentialArn of the pullThroughCache entry mcr');
  });

  it('waits as Retry-After asks when the upstream rate-limits, and reports rate-limited once the retries run out', async () => {
    // Prepare: the upstream answers its first two manifest HEADs with 429 and Retry-After 2, then serves; another never stops.
    const image = singleImage('runtime', '8.0');
    await pushImage(new RegistryClient({ baseUrl: upstream.url }), 'dotnet/runtime', '8.0', image);
    const limited = (times: number): { fetch: typeof fetch; sleeps: number[] } => {
      let left = times;
      const sleeps: number[] = [];
      return {
        sleeps,
        fetch: async (input, init) => {
          if (left > 0 && (init?.method ?? 'GET') === 'HEAD') {
            left -= 1;
            return new Response(null, { status: 429, headers: { 'Retry-After': '2' } });
          }
          return fetch(input, init);
        },
      };
    };
    const brief = limited(2);
    const endless = limited(Number.POSITIVE_INFINITY);
    const upstreamWith = (faults: ReturnType<typeof limited>) => async () =>
      recordingClient(upstream.url, { fetch: faults.fetch, retry: { attempts: 3, sleep: async (ms) => void faults.sleeps.push(ms) } }).client;

    // Act
    const recovered = await copy({ target: target('dotnet/runtime'), tag: '8.0', upstream: upstreamWith(brief) }).run;
    const exhausted = await copy({ target: target('dotnet/runtime'), tag: '8.0', upstream: upstreamWith(endless) }).run;

    // Assess
    expect(recovered).toMatchObject({ status: 'warmed', digest: image.manifestDigest });
    expect(brief.sleeps).toEqual([2000, 2000]);
    expect(exhausted).toMatchObject({ status: 'failed', failure: { reason: 'rate-limited', status: 429 } });
    expect(exhausted.status === 'failed' && exhausted.failure.message).toMatch(/^Copying mcr\/dotnet\/runtime:8\.0 failed: .*credentialArn/);
  });
});
