import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildImage, buildIndex, pushImage, RegistryClient } from '@dockmaster/registry';
import { type RunningDistribution, startDistribution } from '@dockmaster/registry/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncCommand, formatProgress } from '../src/commands/sync.js';
import { UsageError } from '../src/errors.js';
import { captureIo } from '../src/testing/index.js';

/*
 * `dockmaster sync` against two real Distribution registries (fresh target per test). Credentials are tested
 * through a Basic-auth gate in front of the target, the way a reverse proxy guards a registry.
 */

let source: RunningDistribution;
let target: RunningDistribution;
const directory = mkdtempSync(path.join(tmpdir(), 'dockmaster-sync-cli-'));

const web = buildImage({ repositoryHint: 'cli-web', layers: [{ seed: 'cli-sync-base', size: 100_000 }, { seed: 'cli-sync-web', size: 20_000 }] });
const multi = buildIndex([
  buildImage({ repositoryHint: 'cli-multi', layers: [{ seed: 'cli-sync-base', size: 100_000 }, { seed: 'cli-sync-multi', size: 20_000 }] }),
  buildImage({ repositoryHint: 'cli-multi', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ seed: 'cli-sync-multi-arm', size: 20_000 }] }),
]);

const SECRET = 's3cret-p4ss';
/** Answers 401 with a Basic challenge unless the request carries sync-user:SECRET, then forwards to the registry. */
const basicAuthGate: typeof fetch = async (input, init) => {
  const expected = `Basic ${Buffer.from(`sync-user:${SECRET}`).toString('base64')}`;
  if (new Headers(init?.headers).get('authorization') !== expected) {
    return new Response('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="registry"', 'Content-Type': 'application/json' },
    });
  }
  return fetch(input, init);
};

const baseArgs = () => ['--from', source.url, '--to', target.url, '--repository', 'team/web', '--repository', 'team/multi'];

beforeAll(async () => {
  source = await startDistribution({ name: 'cli-sync-source' });
  const client = new RegistryClient({ baseUrl: source.url });
  await pushImage(client, 'team/web', 'v1', web);
  await pushImage(client, 'team/multi', 'latest', multi);
});

afterAll(async () => {
  await source?.stop();
  await target?.stop();
});

beforeEach(async () => {
  await target?.stop();
  target = await startDistribution({ name: 'cli-sync-target' });
});

describe('dockmaster sync', () => {
  it('copies every tag with digests preserved and prints a summary (exit 0)', async () => {
    // Prepare
    const { io, out } = captureIo();

    // Act
    const code = await createSyncCommand({ stderrIsTty: false }).run(baseArgs(), io);
    const targetClient = new RegistryClient({ baseUrl: target.url });
    const [webHead, multiHead] = await Promise.all([targetClient.headManifest('team/web', 'v1'), targetClient.headManifest('team/multi', 'latest')]);

    // Assess
    expect(code).toBe(0);
    expect(webHead?.digest).toBe(web.manifestDigest);
    expect(multiHead?.digest).toBe(multi.manifestDigest);
    const summary = out.join('\n');
    expect(summary).toContain('images:    2 copied, 0 skipped, 0 failed');
    expect(summary).toMatch(/blobs: +\d+ uploaded, [1-9]\d* mounted, 0 skipped/);
  });

  it('writes the state file, and a re-run with it skips every image and leaves the file untouched', async () => {
    // Prepare
    const stateFile = path.join(directory, `state-${Date.now()}.json`);
    await createSyncCommand({ stderrIsTty: false }).run([...baseArgs(), '--state', stateFile], captureIo().io);
    const written = readFileSync(stateFile, 'utf8');
    const modified = statSync(stateFile).mtimeMs;
    const { io, out } = captureIo();

    // Act
    const code = await createSyncCommand({ stderrIsTty: false }).run([...baseArgs(), '--state', stateFile, '--json'], io);

    // Assess
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n')) as { imagesSkipped: number; imagesCopied: number; images: { reason?: string }[]; state?: unknown };
    expect(report.imagesCopied).toBe(0);
    expect(report.imagesSkipped).toBe(2);
    expect(report.images.map((image) => image.reason)).toEqual(['state', 'state']);
    expect(report.state).toBeUndefined();
    expect(JSON.parse(written).images).toHaveLength(2);
    expect(readFileSync(stateFile, 'utf8')).toBe(written);
    expect(statSync(stateFile).mtimeMs).toBe(modified);
  });

  it('exits 1 and names the repository when one cannot be listed, after copying the others', async () => {
    // Prepare
    const { io, out } = captureIo();

    // Act
    const code = await createSyncCommand({ stderrIsTty: false }).run([...baseArgs(), '--repository', 'team/absent'], io);

    // Assess
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('images:    2 copied');
    expect(out.join('\n')).toMatch(/failed team\/absent \(listing tags\): .*team\/absent/);
  });

  it('draws progress on stderr only when stderr is a terminal', async () => {
    // Prepare
    const tty = captureIo();
    const piped = captureIo();

    // Act
    await createSyncCommand({ stderrIsTty: true }).run(baseArgs(), tty.io);
    await createSyncCommand({ stderrIsTty: false }).run(baseArgs(), piped.io);

    // Assess
    expect(tty.err.at(-1)).toMatch(/^\u001b\[1A\u001b\[2Ksync: 2\/2 images .* uploaded .*\/s/);
    expect(piped.err).toEqual([]);
  });

  it('takes target credentials from DOCKMASTER_TO_CREDS and never prints them', async () => {
    // Prepare
    const good = captureIo();
    const bad = captureIo();
    const gatedFetch: typeof fetch = (input, init) => (String(input instanceof Request ? input.url : input).startsWith(target.url) ? basicAuthGate(input, init) : fetch(input, init));

    // Act
    const okCode = await createSyncCommand({ fetch: gatedFetch, env: { DOCKMASTER_TO_CREDS: `sync-user:${SECRET}` }, stderrIsTty: false }).run(baseArgs(), good.io);
    const deniedCode = await createSyncCommand({ fetch: gatedFetch, env: {}, stderrIsTty: false }).run([...baseArgs(), '--to-creds', `sync-user:wrong-${SECRET}`], bad.io);

    // Assess
    expect(okCode).toBe(0);
    expect(deniedCode).toBe(1);
    expect(bad.out.join('\n')).toMatch(/401|UNAUTHORIZED|authentication/i);
    expect([...good.out, ...good.err, ...bad.out, ...bad.err].join('\n')).not.toContain(SECRET);
  });

  it.each([
    [['--to', 'http://127.0.0.1:1', '--repository', 'a'], '--from <registry URL> is required'],
    [['--from', 'http://127.0.0.1:1', '--to', 'http://127.0.0.1:1', '--repository', 'a'], 'same registry'],
    [['--from', '127.0.0.1:1', '--to', 'http://127.0.0.1:2', '--repository', 'a'], 'write it with its scheme, e.g. https://127.0.0.1:1'],
    [['--from', 'localhost:5000', '--to', 'http://127.0.0.1:2', '--repository', 'a'], 'http://localhost:5000 for a local registry'],
    [['--from', 'ftp://host', '--to', 'http://127.0.0.1:2', '--repository', 'a'], 'only http and https'],
    [['--from', 'http://127.0.0.1:1/team', '--to', 'http://127.0.0.1:2', '--repository', 'a'], 'give the registry root only (http://127.0.0.1:1)'],
    [['--from', 'http://127.0.0.1:1', '--to', 'http://127.0.0.1:2'], '--repository <name>'],
    [['--from', 'http://127.0.0.1:1', '--to', 'http://127.0.0.1:2', '--repository', 'Team/App'], 'not a valid repository name'],
    [['--from', 'http://127.0.0.1:1', '--to', 'http://127.0.0.1:2', '--repository', 'a', '--concurrency', '0'], '--concurrency 0'],
    [['--from', 'http://127.0.0.1:1', '--to', 'http://127.0.0.1:2', '--repository', 'a', '--from-creds', 'no-colon-secret'], '--from-creds must be user:password'],
    [['--from', 'http://127.0.0.1:1', '--to', 'http://127.0.0.1:2', '--repository', 'a', '--bogus'], "Unknown option '--bogus'"],
  ])('rejects %j as a usage error (exit 2) that says how to fix it', async (args, message) => {
    // Prepare
    const command = createSyncCommand({ env: {}, stderrIsTty: false });

    // Act
    const running = command.run(args, captureIo().io);

    // Assess
    await expect(running).rejects.toThrow(UsageError);
    await expect(running).rejects.toThrow(message);
    await expect(running).rejects.not.toThrow('no-colon-secret');
  });

  it('rejects a malformed state file as a usage error naming the file and the field', async () => {
    // Prepare
    const stateFile = path.join(directory, 'broken-state.json');
    writeFileSync(stateFile, JSON.stringify({ version: 1, images: [{ source: 'x', repository: 'a', tag: 'v1', digest: 'nope', target: 'y' }] }));

    // Act
    const running = createSyncCommand({ stderrIsTty: false }).run([...baseArgs(), '--state', stateFile], captureIo().io);

    // Assess
    await expect(running).rejects.toThrow(UsageError);
    await expect(running).rejects.toThrow(/broken-state\.json is not a dockmaster sync state file:[\s\S]*images\[0\]\.digest/);
  });
});

describe('formatProgress', () => {
  it('shows images done/total, failures, bytes and rate', () => {
    // Prepare
    const progress = { imagesTotal: 30, imagesDone: 12, imagesFailed: 1, bytesUploaded: 45_200_000, elapsedSeconds: 2 };

    // Act
    const line = formatProgress(progress);

    // Assess
    expect(line).toBe('sync: 12/30 images, 1 failed  45.2 MB uploaded  22.6 MB/s  2.0 s');
  });
});
