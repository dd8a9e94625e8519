import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { buildImage, pushImage, RegistryClient } from '@dockmaster/registry';
import { type RunningDistribution, startDistribution } from '@dockmaster/registry/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrepopulateCommand, type PrepopulateResult } from '../src/commands/prepopulate.js';
import { UsageError } from '../src/errors.js';
import { captureIo } from './support/cli.js';

/*
 * Against real registries: a Distribution "upstream" seeded with built images and a second one in proxy
 * mode standing in for the pull-through cache (paths pass through unchanged, so images sit under k8s/).
 */

const ecrMock = mockClient(ECRClient);
let upstream: RunningDistribution;
let cache: RunningDistribution;

const directory = mkdtempSync(path.join(tmpdir(), 'dockmaster-prepopulate-cli-'));
const configFile = (tags: string[]): string => {
  const file = path.join(directory, `config-${tags.join('-')}.yaml`);
  writeFileSync(
    file,
    `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
pullThroughCache:
  - prefix: k8s
    upstream: registry.k8s.io
    prepopulate:
      images:
        - image: pause
          tags: [${tags.map((tag) => `"${tag}"`).join(', ')}]
        - image: coredns/coredns
          tags: { regex: "v1\\\\.11\\\\..*" }
          owner: platform-dns
teams:
  platform-dns: { email: ["dns-oncall@acme.example"] }
`,
  );
  return file;
};


/** Records the registry requests the command makes. */
const recorder = () => {
  const requests: { method: string; path: string }[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    requests.push({ method: init?.method ?? 'GET', path: new URL(input instanceof Request ? input.url : String(input)).pathname });
    return fetch(input, init);
  };
  return { fetch: recordingFetch, requests, blobGets: () => requests.filter((request) => request.method === 'GET' && request.path.includes('/blobs/')) };
};

const image = (seed: string) => buildImage({ repositoryHint: seed, layers: [{ seed: `${seed}-layer`, size: 2500 }] });

const jsonResults = (out: string[]) => JSON.parse(out.join('\n')) as { registry: string; dryRun: boolean; results: PrepopulateResult[] };

beforeEach(async () => {
  ecrMock.reset();
  upstream = await startDistribution({ name: 'cli-prepopulate-upstream' });
  cache = await startDistribution({ name: 'cli-prepopulate-cache', proxyRemoteUrl: upstream.url });
  const client = new RegistryClient({ baseUrl: upstream.url });
  await pushImage(client, 'k8s/pause', '3.10', image('pause-3.10'));
  await pushImage(client, 'k8s/coredns/coredns', 'v1.11.1', image('coredns-1.11.1'));
  await pushImage(client, 'k8s/coredns/coredns', 'v1.10.0', image('coredns-1.10.0'));
});

afterEach(async () => {
  await cache.stop();
  await upstream.stop();
});

describe('dockmaster prepopulate', () => {
  it('--dry-run lists what would be warmed with one HEAD per tag, and reports a missing tag (exit 1)', async () => {
    // Prepare
    const { io, out } = captureIo();
    const requests = recorder();
    const command = createPrepopulateCommand({ fetch: requests.fetch });

    // Act
    const code = await command.run(['--config', configFile(['3.10', '3.99']), '--registry', cache.url, '--dry-run', '--json'], io);

    // Assess
    expect(code).toBe(1);
    const printed = jsonResults(out);
    expect(printed).toMatchObject({ registry: cache.url, dryRun: true });
    expect(printed.results.map((result) => [`${result.repository}:${result.tag}`, result.status, result.reason])).toEqual([
      ['k8s/pause:3.99', 'failed', 'missing-upstream'],
      ['k8s/pause:3.10', 'would-warm', undefined],
      ['k8s/coredns/coredns:v1.11.1', 'would-warm', undefined],
    ]);
    expect(printed.results[1]?.digest).toBe(image('pause-3.10').manifestDigest);
    expect(requests.requests.filter((request) => request.path.includes('/manifests/')).map((request) => request.method)).toEqual(['HEAD', 'HEAD']);
    expect(requests.blobGets()).toEqual([]);
  });

  it('warms every allow-listed tag into the cache, which then serves it with the upstream down', async () => {
    // Prepare
    const { io, out } = captureIo();
    const pause = image('pause-3.10');

    // Act
    const code = await createPrepopulateCommand().run(['--config', configFile(['3.10']), '--registry', cache.url, '--json'], io);
    await upstream.stop();
    const offline = new RegistryClient({ baseUrl: cache.url });
    const offlineManifest = await offline.getManifest('k8s/pause', '3.10');

    // Assess
    expect(code).toBe(0);
    const results = jsonResults(out).results;
    expect(results).toEqual([
      { repository: 'k8s/pause', tag: '3.10', status: 'warmed', digest: pause.manifestDigest, bytes: [...pause.blobs.values()].reduce((sum, blob) => sum + blob.length, 0), blobs: 2, platforms: [] },
      expect.objectContaining({ repository: 'k8s/coredns/coredns', tag: 'v1.11.1', status: 'warmed', blobs: 2 }),
    ]);
    expect(offlineManifest.digest).toBe(pause.manifestDigest);
  });

  it('prints a table on stdout and progress on stderr only when on a terminal', async () => {
    // Prepare
    const terminal = captureIo(true);
    const piped = captureIo(false);
    const command = createPrepopulateCommand();

    // Act
    await command.run(['--config', configFile(['3.10']), '--registry', cache.url], terminal.io);
    await command.run(['--config', configFile(['3.10']), '--registry', cache.url], piped.io);

    // Assess
    expect(terminal.err).toEqual(['[1/2] k8s/pause:3.10 warmed', '[2/2] k8s/coredns/coredns:v1.11.1 warmed']);
    expect(piped.err).toEqual([]);
    const table = terminal.out.join('\n');
    expect(table).toContain(`Warmed through ${cache.url}:`);
    expect(table).toMatch(/IMAGE\s+STATUS\s+DIGEST\s+BYTES/);
    expect(table).toMatch(new RegExp(`k8s/pause:3\\.10\\s+warmed\\s+${image('pause-3.10').manifestDigest}\\s+\\d\\.\\d kB`));
  });

  it('says what a dry run and a real run were doing when the registry is unreachable, each ending in one period', async () => {
    // Prepare: nothing listens on port 1.
    const dry = captureIo();
    const real = captureIo();
    const args = ['--config', configFile(['3.10']), '--registry', 'http://127.0.0.1:1', '--json'];

    // Act
    const dryCode = await createPrepopulateCommand().run([...args, '--dry-run'], dry.io);
    const realCode = await createPrepopulateCommand().run(args, real.io);

    // Assess
    expect([dryCode, realCode]).toEqual([1, 1]);
    const [checked] = jsonResults(dry.out).results.filter((result) => result.tag === '3.10');
    const [warmed] = jsonResults(real.out).results.filter((result) => result.tag === '3.10');
    expect(checked?.message).toMatch(/^Checking k8s\/pause:3\.10 failed: HEAD .* reachable\. See the message; run dockmaster prepopulate --dry-run again later\.$/);
    expect(warmed?.message).toMatch(/^Warming k8s\/pause:3\.10 failed: .* reachable\. See the message; run dockmaster prepopulate again later\.$/);
    expect(`${checked?.message} ${warmed?.message}`).not.toContain('..');
    expect(`${checked?.message} ${warmed?.message}`).not.toContain('scheduled');
  });

  describe('registry credentials', () => {
    /** The cache behind Basic auth: a request without these credentials gets the 401 challenge a registry sends. */
    const basicAuthGate = (username: string, password: string) => {
      const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      const seen: (string | null)[] = [];
      const gated: typeof fetch = async (input, init) => {
        const authorization = new Headers(init?.headers).get('authorization');
        seen.push(authorization);
        if (authorization !== expected) return new Response('{"errors":[{"code":"UNAUTHORIZED"}]}', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="cache"' } });
        return fetch(input, init);
      };
      return { fetch: gated, seen, expected };
    };

    it('takes user:password from DOCKMASTER_REGISTRY_CREDS, without a warning', async () => {
      // Prepare
      const { io, out, err } = captureIo();
      const gate = basicAuthGate('me', 's3cr:et');
      const command = createPrepopulateCommand({ fetch: gate.fetch, env: { DOCKMASTER_REGISTRY_CREDS: 'me:s3cr:et' } });

      // Act
      const code = await command.run(['--config', configFile(['3.10']), '--registry', cache.url, '--dry-run', '--json'], io);

      // Assess
      expect(code).toBe(0);
      expect(jsonResults(out).results.map((result) => result.status)).toEqual(['would-warm', 'would-warm']);
      expect(gate.seen).toContain(gate.expected);
      expect(err).toEqual([]);
    });

    it('warns that --password on the command line is visible, and still uses it over the variable', async () => {
      // Prepare
      const { io, out, err } = captureIo();
      const gate = basicAuthGate('me', 'typed');
      const command = createPrepopulateCommand({ fetch: gate.fetch, env: { DOCKMASTER_REGISTRY_CREDS: 'other:wrong' } });

      // Act
      const code = await command.run(['--config', configFile(['3.10']), '--registry', cache.url, '--username', 'me', '--password', 'typed', '--dry-run', '--json'], io);

      // Assess
      expect(code).toBe(0);
      expect(jsonResults(out).results.map((result) => result.status)).toEqual(['would-warm', 'would-warm']);
      expect(err).toEqual([
        'warning: --password is visible to other users in the process list and stays in your shell history; set DOCKMASTER_REGISTRY_CREDS=user:password instead',
      ]);
      expect(err.join('\n')).not.toContain('typed');
    });

    it('refuses a DOCKMASTER_REGISTRY_CREDS without a user name, without echoing it (exit 2)', async () => {
      // Prepare
      const { io } = captureIo();

      // Act
      const run = createPrepopulateCommand({ env: { DOCKMASTER_REGISTRY_CREDS: 'nouserpassword' } }).run(['--config', configFile(['3.10']), '--registry', cache.url], io);

      // Assess
      await expect(run).rejects.toBeInstanceOf(UsageError);
      await expect(run).rejects.toThrow(/^the DOCKMASTER_REGISTRY_CREDS environment variable must be user:password \(the part before the first ":" is the user name\)$/);
    });
  });

  it('--ecr logs in with GetAuthorizationToken and pulls from its proxyEndpoint', async () => {
    // Prepare
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from('AWS:secret').toString('base64'), proxyEndpoint: cache.url, expiresAt: new Date(Date.now() + 3_600_000) }],
    });
    const { io, out } = captureIo();

    // Act
    const code = await createPrepopulateCommand().run(['--config', configFile(['3.10']), '--ecr', '--json'], io);

    // Assess
    expect(code).toBe(0);
    expect(jsonResults(out).registry).toBe(cache.url);
    expect(jsonResults(out).results.map((result) => result.status)).toEqual(['warmed', 'warmed']);
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1);
  });

  it.each([
    ['no registry at all', [], /--registry <url>.*or --ecr/],
    ['--username without --password', ['--registry', 'http://127.0.0.1:1', '--username', 'me'], /--username and --password go together/],
    ['--ecr with credentials', ['--ecr', '--username', 'me', '--password', 'x'], /--ecr logs in by itself/],
    ['a registry that is no URL', ['--registry', '127.0.0.1:5000'], /not a URL; write it with its scheme/],
    ['an unknown option', ['--registry', 'http://127.0.0.1:1', '--force'], /Unknown option '--force'/],
  ])('refuses %s as a usage error (exit 2)', async (_case, extraArgs, message) => {
    // Prepare
    const { io } = captureIo();

    // Act
    const run = createPrepopulateCommand().run(['--config', configFile(['3.10']), ...extraArgs], io);

    // Assess
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(message);
  });
});
