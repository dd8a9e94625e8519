import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderCreationTemplates } from '@dockmaster/core/cache-repository';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { CreateRepositoryServiceEventSchema, PullThroughCacheActionEventSchema } from '@dockmaster/core/events/cache';
import { EcrImageActionEventSchema } from '@dockmaster/core/events/ecr-image-action';
import { RegistryClient } from '@dockmaster/registry/client';
import { MediaType } from '@dockmaster/registry/manifest';
import { buildImage, buildIndex, writeOciLayout } from '@dockmaster/registry/oci';
import type { BuiltImage } from '@dockmaster/registry/oci';
import { startDistribution } from '@dockmaster/registry/testing';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalEcr } from '../ecr/index.js';
import { startUpstream } from '../upstreams/index.js';
import type { RunningUpstream } from '../upstreams/index.js';
import type { EcrEvent } from './ecr-events.js';
import { startRegistryFront } from './registry-front.js';
import type { RunningRegistryFront } from './registry-front.js';
import { exampleConfigText } from '@dockmaster/core/testing';

const run = promisify(execFile);
/** apps/ is created on push (IMMUTABLE, a pull policy, a lifecycle policy); mirror/eu/ only by replication. */
const TEMPLATES_CONFIG = new URL('../../../../docs/examples/repository-templates.yaml', import.meta.url);
const ACCOUNT = '111122223333';
const REGION = 'eu-central-1';

let privateRegistry: RunningDistribution;
let upstream: RunningUpstream;
let cacheInstance: RunningDistribution;
/** An upstream (and its cache) that a test stops, for the failed-sync events. */
let goneUpstream: RunningDistribution;
let goneCache: RunningDistribution;
/** An upstream that refuses every login (401), and the Distribution proxy in front of it. */
let lockedUpstream: Server;
let lockedUpstreamUrl: string;
let lockedCache: RunningDistribution;
let ecr: LocalEcr;
let front: RunningRegistryFront;
let workDir: string;
let events: EcrEvent[];
let repositoryCounter = 0;

const small = (seed: string): BuiltImage => buildImage({ labels: { 'org.opencontainers.image.revision': seed }, layers: [{ seed: 'front-base', size: 8_000 }, { seed, size: 500 }] });

/** Each test pushes to its own repository, so tests share the registries without seeing each other's images. */
async function freshRepository(imageTagMutability: 'MUTABLE' | 'IMMUTABLE' = 'MUTABLE'): Promise<string> {
  repositoryCounter += 1;
  const name = `team/app-${repositoryCounter}`;
  await ecr.createRepository({ repositoryName: name, imageTagMutability });
  return name;
}

async function skopeo(args: readonly string[]): Promise<string> {
  // An explicit policy keeps the test independent of the machine's /etc/containers/policy.json.
  const policy = path.join(workDir, 'policy.json');
  try {
    const { stdout } = await run('skopeo', ['--policy', policy, ...args]);
    return stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('skopeo is not installed: apt-get install -y skopeo');
    throw error;
  }
}

async function pushWithSkopeo(refs: Record<string, Parameters<typeof writeOciLayout>[1][string]>, ref: string, destination: string): Promise<void> {
  const layout = await mkdtemp(path.join(workDir, 'layout-'));
  await writeOciLayout(layout, refs);
  await skopeo(['copy', '--all', '--dest-tls-verify=false', `oci:${layout}:${ref}`, `docker://${front.host}/${destination}`]);
}

async function inspect(reference: string): Promise<{ Digest: string; Labels: Record<string, string> | null; RepoTags: string[] }> {
  return JSON.parse(await skopeo(['inspect', '--tls-verify=false', `docker://${front.host}/${reference}`])) as { Digest: string; Labels: Record<string, string> | null; RepoTags: string[] };
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return `${(error as Error).message}\n${(error as { stderr?: string }).stderr ?? ''}`;
  }
  throw new Error('expected the command to fail');
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-front-'));
  await writeFile(path.join(workDir, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  const config = parseConfigOrThrow(exampleConfigText(), 'docs/examples/dockmaster.example.yaml');
  const k8s = config.pullThroughCache.find((rule) => rule.prefix === 'k8s');
  if (k8s === undefined) throw new Error('the example configuration has no k8s pull-through cache rule');
  [privateRegistry, upstream] = await Promise.all([startDistribution({ name: 'front-private' }), startUpstream(k8s)]);
  cacheInstance = await startDistribution({ name: 'front-cache-k8s', proxyRemoteUrl: upstream.url });
  goneUpstream = await startDistribution({ name: 'front-gone-upstream' });
  goneCache = await startDistribution({ name: 'front-cache-gone', proxyRemoteUrl: goneUpstream.url });
  lockedUpstream = createServer((_request, response) => {
    response.writeHead(401, { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' });
    response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
  });
  await new Promise<void>((resolve) => lockedUpstream.listen(0, '127.0.0.1', resolve));
  lockedUpstreamUrl = `http://127.0.0.1:${(lockedUpstream.address() as AddressInfo).port}`;
  lockedCache = await startDistribution({ name: 'front-cache-locked', proxyRemoteUrl: lockedUpstreamUrl });
  // The front's address only feeds repositoryUri, which these tests do not read.
  const templates = parseConfigOrThrow(await readFile(TEMPLATES_CONFIG, 'utf8'), 'docs/examples/repository-templates.yaml');
  ecr = new LocalEcr({
    distribution: privateRegistry,
    registryFrontUrl: 'http://127.0.0.1:1',
    accountId: ACCOUNT,
    region: REGION,
    repositoryCreationTemplates: renderCreationTemplates(templates, 'aws'),
  });
  front = await startRegistryFront({
    privateRegistryUrl: privateRegistry.url,
    caches: [
      { prefix: 'k8s', proxyUrl: cacheInstance.url, upstreamRegistryUrl: 'registry.k8s.io', upstreamUrl: upstream.url },
      { prefix: 'gone', proxyUrl: goneCache.url, upstreamRegistryUrl: 'quay.io', upstreamUrl: goneUpstream.url },
      { prefix: 'locked', proxyUrl: lockedCache.url, upstreamRegistryUrl: 'ghcr.io', upstreamUrl: lockedUpstreamUrl },
    ],
    ecr,
    emit: (event) => {
      events.push(event);
    },
    account: ACCOUNT,
    region: REGION,
  });
});

afterAll(async () => {
  await front?.stop();
  await Promise.all([cacheInstance?.stop(), upstream?.stop(), privateRegistry?.stop(), goneCache?.stop(), goneUpstream?.stop(), lockedCache?.stop()]);
  if (lockedUpstream !== undefined) await new Promise<void>((resolve) => lockedUpstream.close(() => resolve()));
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  events = [];
});

describe('pushes with skopeo through the front', () => {
  it('pushes into an existing repository, emits exactly one tagged PUSH in ECR shape, and pulls back', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = small('front-push-v1');

    // Act
    await pushWithSkopeo({ v1: image }, 'v1', `${repository}:v1`);
    const pulled = await inspect(`${repository}:v1`);

    // Assess
    expect(events).toHaveLength(1);
    expect(EcrImageActionEventSchema.safeParse(events[0]).success).toBe(true);
    expect(events[0]).toMatchObject({
      'detail-type': 'ECR Image Action',
      source: 'aws.ecr',
      account: ACCOUNT,
      region: REGION,
      resources: [],
      detail: { result: 'SUCCESS', 'repository-name': repository, 'image-digest': image.manifestDigest, 'action-type': 'PUSH', 'image-tag': 'v1', 'manifest-media-type': MediaType.OciManifest },
    });
    expect(pulled.Digest).toBe(image.manifestDigest);
    expect(pulled.Labels).toEqual({ 'org.opencontainers.image.revision': 'front-push-v1' });
  });

  it('pushes an index with --all: untagged PUSHes for the children, one tagged PUSH for the index', async () => {
    // Prepare
    const repository = await freshRepository();
    const amd64 = small('front-multi-amd64');
    const arm64 = buildImage({ platform: { os: 'linux', architecture: 'arm64' }, layers: [{ seed: 'front-multi-arm64', size: 600 }] });
    const index = buildIndex([amd64, arm64]);

    // Act
    await pushWithSkopeo({ multi: index }, 'multi', `${repository}:multi`);

    // Assess
    const pushes = events.map((event) => ({ digest: event.detail['image-digest'], tag: event.detail['image-tag'], type: event.detail['manifest-media-type'] }));
    expect(pushes).toHaveLength(3);
    expect(pushes.filter((push) => push.tag === undefined).map((push) => push.digest).sort()).toEqual([amd64.manifestDigest, arm64.manifestDigest].sort());
    expect(pushes.at(-1)).toEqual({ digest: index.manifestDigest, tag: 'multi', type: MediaType.OciIndex });
  });

  it('refuses a push into a repository the control plane does not have, with ECR message and no event', async () => {
    // Act
    const failure = await failureOf(pushWithSkopeo({ v1: small('front-missing') }, 'v1', 'team/does-not-exist:v1'));

    // Assess
    expect(failure).toContain(`The repository with name 'team/does-not-exist' does not exist in the registry with id '${ACCOUNT}'`);
    expect(events).toEqual([]);
  });

  it('refuses to move an existing tag of an immutable repository and keeps the first image', async () => {
    // Prepare
    const repository = await freshRepository('IMMUTABLE');
    const first = small('front-immutable-1');
    await pushWithSkopeo({ v1: first }, 'v1', `${repository}:v1`);
    events = [];

    // Act
    const failure = await failureOf(pushWithSkopeo({ v1: small('front-immutable-2') }, 'v1', `${repository}:v1`));
    const pulled = await inspect(`${repository}:v1`);

    // Assess
    expect(failure).toContain(`The image tag 'v1' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`);
    expect(pulled.Digest).toBe(first.manifestDigest);
    expect(events).toEqual([]);
  });

  it('emits DELETE with the removed tag when a manifest is deleted by digest', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = small('front-delete');
    await pushWithSkopeo({ gone: image }, 'gone', `${repository}:gone`);
    events = [];

    // Act
    const deleted = await new RegistryClient({ baseUrl: front.url }).deleteManifest(repository, image.manifestDigest);

    // Assess
    expect(deleted).toBe(true);
    expect(events.map((event) => event.detail)).toEqual([{ result: 'SUCCESS', 'repository-name': repository, 'image-digest': image.manifestDigest, 'action-type': 'DELETE', 'image-tag': 'gone' }]);
  });

  it('points upload Locations at the front and passes Range requests through', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = small('front-range');
    await pushWithSkopeo({ v1: image }, 'v1', `${repository}:v1`);
    const layer = [...image.blobs.entries()].find(([digest]) => digest !== image.configDigest);

    // Act
    const upload = await fetch(`${front.url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    await upload.body?.cancel();
    const partial = await fetch(`${front.url}/v2/${repository}/blobs/${layer?.[0]}`, { headers: { Range: 'bytes=0-9' } });
    const partialBytes = new Uint8Array(await partial.arrayBuffer());

    // Assess
    expect(upload.status).toBe(202);
    expect(upload.headers.get('location')).toMatch(new RegExp(`^${front.url}/v2/${repository}/blobs/uploads/`));
    expect(partial.status).toBe(206);
    expect(partialBytes).toEqual(layer?.[1].subarray(0, 10));
  });
});

describe('create on push (a CREATE_ON_PUSH repository creation template covers the name)', () => {
  const template = () => {
    const config = parseConfigOrThrow(readFileSync(TEMPLATES_CONFIG, 'utf8'), 'docs/examples/repository-templates.yaml');
    const found = renderCreationTemplates(config, 'aws').find((candidate) => candidate.prefix === 'apps');
    if (found === undefined) throw new Error('the templates example has no apps template');
    return found;
  };

  it("creates the repository with the template's settings, announces it, then takes the push", async () => {
    // Prepare
    repositoryCounter += 1;
    const repository = `apps/service-${repositoryCounter}`;
    const image = small('front-create-on-push');

    // Act
    await pushWithSkopeo({ v1: image }, 'v1', `${repository}:v1`);
    const pulled = await inspect(`${repository}:v1`);

    // Assess
    expect(pulled.Digest).toBe(image.manifestDigest);
    const [described] = (ecr.describeRepositories({ repositoryNames: [repository] }) as { repositories: Record<string, unknown>[] }).repositories;
    expect(described).toMatchObject({ repositoryName: repository, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: false } });
    expect(ecr.getRepositoryPolicy({ repositoryName: repository })).toMatchObject({ policyText: template().repositoryPolicy });
    expect(ecr.getLifecyclePolicy({ repositoryName: repository })).toMatchObject({ lifecyclePolicyText: template().lifecyclePolicy });
    const created = events.filter((event) => event['detail-type'] === 'AWS Service Event via CloudTrail');
    expect(created).toHaveLength(1);
    expect(CreateRepositoryServiceEventSchema.parse(created[0]).detail.serviceEventDetails.repositoryName).toBe(repository);
    // Announced before the image: the creation event comes first, then exactly one PUSH.
    expect(events.map((event) => event['detail-type'])).toEqual(['AWS Service Event via CloudTrail', 'ECR Image Action']);
  });

  it('creates nothing outside a CREATE_ON_PUSH prefix (REPLICATION-only, or no template) and on a pull', async () => {
    // Act
    const outside = await failureOf(pushWithSkopeo({ v1: small('front-no-template') }, 'v1', 'appsx/service:v1'));
    const replicationOnly = await failureOf(pushWithSkopeo({ v1: small('front-replication-only') }, 'v1', 'mirror/eu/base:v1'));
    const pull = await failureOf(inspect('apps/never-pushed:v1'));

    // Assess
    expect(outside).toContain("The repository with name 'appsx/service' does not exist");
    expect(replicationOnly).toContain("The repository with name 'mirror/eu/base' does not exist");
    expect(pull).toContain('apps/never-pushed');
    expect(['appsx/service', 'mirror/eu/base', 'apps/never-pushed'].map((name) => ecr.repositoryExists(name))).toEqual([false, false, false]);
    expect(events).toEqual([]);
  });
});

describe('pulls through the k8s pull-through cache', () => {
  it('creates k8s/pause on the first pull by tag, emits the CloudTrail service event and the cache action, and lists the image', async () => {
    // Prepare
    const seeded = upstream.images.find((image) => image.repository === 'pause' && image.tag === '3.9');
    const existedBefore = ecr.repositoryExists('k8s/pause');

    // Act
    const pulled = await inspect('k8s/pause:3.9');
    const described = (await ecr.describeImages({ repositoryName: 'k8s/pause' })) as { imageDetails: Array<{ imageDigest: string; imageTags?: string[] }> };

    // Assess
    expect(existedBefore).toBe(false);
    expect(ecr.repositoryExists('k8s/pause')).toBe(true);
    expect(pulled.Digest).toBe(seeded?.digest);
    expect(pulled.RepoTags).toContain('3.10');
    expect(events.map((event) => event['detail-type'])).toEqual(['AWS Service Event via CloudTrail', 'ECR Pull Through Cache Action']);
    expect(CreateRepositoryServiceEventSchema.safeParse(events[0]).success).toBe(true);
    expect(events[0]?.detail).toMatchObject({
      userIdentity: { type: 'AWSService', invokedBy: 'ecr.amazonaws.com' },
      eventName: 'CreateRepository',
      eventType: 'AwsServiceEvent',
      serviceEventDetails: { repositoryName: 'k8s/pause' },
      recipientAccountId: ACCOUNT,
    });
    expect(PullThroughCacheActionEventSchema.safeParse(events[1]).success).toBe(true);
    expect(events[1]).toMatchObject({
      resources: [`arn:aws:ecr:${REGION}:${ACCOUNT}:repository/k8s/pause`],
      detail: { 'sync-status': 'SUCCESS', 'ecr-repository-prefix': 'k8s', 'repository-name': 'k8s/pause', 'upstream-registry-url': 'registry.k8s.io', 'image-tag': '3.9', 'image-digest': seeded?.digest },
    });
    expect(described.imageDetails).toEqual([expect.objectContaining({ imageDigest: seeded?.digest, imageTags: ['3.9'] })]);
  });

  it('does not create the repository again on a second pull', async () => {
    // Prepare
    await inspect('k8s/pause:3.9');
    events = [];

    // Act
    const again = await inspect('k8s/pause:3.9');

    // Assess
    expect(again.Digest).toBe(upstream.images.find((image) => image.repository === 'pause' && image.tag === '3.9')?.digest);
    expect(events.filter((event) => event['detail-type'] === 'AWS Service Event via CloudTrail')).toEqual([]);
  });

  it('caches a multi-platform index with its children, so the platform manifest resolves by digest', async () => {
    // Prepare
    const seeded = upstream.images.find((image) => image.repository === 'metrics-server/metrics-server' && image.tag === 'v0.7.1');

    // Act
    const pulled = await inspect('k8s/metrics-server/metrics-server:v0.7.1');
    const raw = JSON.parse(await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${front.host}/k8s/metrics-server/metrics-server:v0.7.1`])) as { manifests: Array<{ digest: string }> };
    const described = (await ecr.describeImages({ repositoryName: 'k8s/metrics-server/metrics-server' })) as { imageDetails: Array<{ imageDigest: string }> };

    // Assess
    expect(pulled.Digest).toBe(seeded?.digest);
    expect(pulled.Labels?.['org.opencontainers.image.version']).toBe('v0.7.1');
    expect(described.imageDetails.map((image) => image.imageDigest).sort()).toEqual([seeded?.digest, ...raw.manifests.map((child) => child.digest)].sort());
  });

  it('caches on a HEAD by tag too (how containerd resolves) and names the cache repository in its tag list', async () => {
    // Prepare
    const seeded = upstream.images.find((image) => image.repository === 'pause' && image.tag === '3.10');
    const viaFront = new RegistryClient({ baseUrl: front.url });

    // Act
    const head = await viaFront.headManifest('k8s/pause', '3.10');
    const tagList = (await (await fetch(`${front.url}/v2/k8s/pause/tags/list`)).json()) as { name: string; tags: string[] };
    const described = (await ecr.describeImages({ repositoryName: 'k8s/pause', imageIds: [{ imageTag: '3.10' }] })) as { imageDetails: Array<{ imageDigest: string }> };

    // Assess
    expect(head?.digest).toBe(seeded?.digest);
    expect(events.map((event) => event.detail['image-tag'])).toEqual(['3.10']);
    expect(described.imageDetails.map((image) => image.imageDigest)).toEqual([seeded?.digest]);
    expect(tagList.name).toBe('k8s/pause');
    expect(tagList.tags).toEqual(expect.arrayContaining(['3.9', '3.10']));
  });

  it('does not populate the cache on a first pull by digest', async () => {
    // Prepare
    const uncached = upstream.images.find((image) => image.repository === 'coredns/coredns' && image.tag === 'v1.11.1');

    // Act
    const failure = await failureOf(inspect(`k8s/coredns/coredns@${uncached?.digest}`));

    // Assess
    expect(failure).toMatch(/manifest unknown|Requested image not found/i);
    expect(ecr.repositoryExists('k8s/coredns/coredns')).toBe(false);
    expect(events).toEqual([]);
  });

  it('refuses pushes under the cache prefix with UNSUPPORTED', async () => {
    // Act
    const upload = await fetch(`${front.url}/v2/k8s/pause/blobs/uploads/`, { method: 'POST' });
    const body = (await upload.json()) as { errors: Array<{ code: string }> };

    // Assess
    expect(upload.status).toBe(405);
    expect(body.errors[0]?.code).toBe('UNSUPPORTED');
  });
});

describe('authorization and injected faults', () => {
  it('allows anonymous access, accepts a token from GetAuthorizationToken and rejects a bad one with 401 DENIED', async () => {
    // Prepare
    const { authorizationData } = ecr.getAuthorizationToken() as { authorizationData: Array<{ authorizationToken: string }> };
    const valid = `Basic ${authorizationData[0]?.authorizationToken}`;

    // Act
    const anonymous = await fetch(`${front.url}/v2/`);
    const authorized = await fetch(`${front.url}/v2/`, { headers: { Authorization: valid } });
    const rejected = await fetch(`${front.url}/v2/`, { headers: { Authorization: basic('AWS', '4102444800000.forged') } });
    const rejectedBody = (await rejected.json()) as { errors: Array<{ code: string }> };

    // Assess
    expect([anonymous.status, authorized.status, rejected.status]).toEqual([200, 200, 401]);
    expect(rejectedBody.errors[0]?.code).toBe('DENIED');
    expect(rejected.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('answers the next N requests with 429 TOOMANYREQUESTS and Retry-After, then recovers', async () => {
    // Prepare
    front.injectFaults({ next429: { count: 2, retryAfterSeconds: 3 } });

    // Act
    const responses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) responses.push(await fetch(`${front.url}/v2/`));
    const throttledBody = (await responses[0]?.json()) as { errors: Array<{ code: string }> };

    // Assess
    expect(responses.map((response) => response.status)).toEqual([429, 429, 200]);
    expect(responses[0]?.headers.get('retry-after')).toBe('3');
    expect(throttledBody.errors[0]?.code).toBe('TOOMANYREQUESTS');
  });
});

describe('pulls of archived images', () => {
  it('answers 404 for an archived image, by tag and by digest, and serves it again once a push restored it', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = small('front-archived');
    await pushWithSkopeo({ v1: image }, 'v1', `${repository}:v1`);
    await ecr.archiveImage(repository, image.manifestDigest);
    const client = new RegistryClient({ baseUrl: front.url });

    // Act
    const byTag = await failureOf(inspect(`${repository}:v1`));
    const byDigest = await client.headManifest(repository, image.manifestDigest);
    await pushWithSkopeo({ v1: image }, 'v1', `${repository}:v1`);
    const restored = await inspect(`${repository}:v1`);

    // Assess
    expect(byTag).toMatch(/manifest unknown|404/i);
    expect(byDigest).toBeNull();
    expect(restored.Digest).toBe(image.manifestDigest);
    expect(ecr.unpullableDigests(repository).size).toBe(0);
  });

  it('answers 404 for an archived image of a pull-through cache repository instead of serving it from the cache', async () => {
    // Prepare
    const first = await inspect('k8s/pause:3.9');
    await ecr.archiveImage('k8s/pause', first.Digest);

    // Act
    const failure = await failureOf(inspect('k8s/pause:3.9'));

    // Assess
    expect(failure).toMatch(/manifest unknown|404/i);
  });
});

describe('failed syncs through a pull-through cache (cache health)', () => {
  it('emits a FAILED cache action, without digest, for a tag the upstream does not have, and creates nothing', async () => {
    // Act
    const failure = await failureOf(inspect('k8s/pause:0.0.0-missing'));

    // Assess
    expect(failure).toMatch(/manifest unknown|not found/i);
    expect(events).toHaveLength(1);
    expect(PullThroughCacheActionEventSchema.safeParse(events[0]).success).toBe(true);
    expect(events[0]?.detail).toEqual({
      'rule-version': '1',
      'sync-status': 'FAILED',
      'ecr-repository-prefix': 'k8s',
      'repository-name': 'k8s/pause',
      'upstream-registry-url': 'registry.k8s.io',
      'image-tag': '0.0.0-missing',
      'failure-code': 'UPSTREAM_IMAGE_NOT_FOUND',
      'failure-reason': expect.stringContaining('not found in the upstream registry registry.k8s.io'),
    });
  });

  it('emits UPSTREAM_UNREACHABLE when the upstream is down', async () => {
    // Prepare
    await goneUpstream.stop();

    // Act
    await failureOf(inspect('gone/app:1.0'));

    // Assess
    expect(events.map((event) => [event.detail['sync-status'], event.detail['failure-code'], event.detail['repository-name']])).toEqual([['FAILED', 'UPSTREAM_UNREACHABLE', 'gone/app']]);
    expect(String(events[0]?.detail['failure-reason'])).toContain('quay.io could not be reached');
  });

  it('emits UPSTREAM_AUTHENTICATION_FAILED when the upstream refuses the login (401)', async () => {
    // Act
    await failureOf(inspect('locked/app:1.0'));

    // Assess
    expect(events.map((event) => [event.detail['sync-status'], event.detail['failure-code'], event.detail['upstream-registry-url']])).toEqual([['FAILED', 'UPSTREAM_AUTHENTICATION_FAILED', 'ghcr.io']]);
    expect(String(events[0]?.detail['failure-reason'])).toContain('The authentication to the upstream registry failed');
  });
});
