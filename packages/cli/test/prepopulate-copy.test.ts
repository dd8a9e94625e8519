import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand, RepositoryNotFoundException } from '@aws-sdk/client-ecr';
import { buildImage, buildIndex, pushImage, RegistryClient } from '@dockmaster/registry';
import { type RunningDistribution, startDistribution } from '@dockmaster/registry/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrepopulateCommand } from '../src/commands/prepopulate.js';
import type { PrepopulateResult } from '../src/commands/prepopulate-result.js';
import { captureIo } from './support/cli.js';

/*
 * `dockmaster prepopulate` with a copy-mode entry, against real registries: a Distribution standing in for
 * mcr.microsoft.com (reached through DOCKMASTER_UPSTREAM_ENDPOINTS' form, given as a dependency) and a second
 * one the copies go into. ECR's API is mocked for the --ecr login and CreateRepository.
 */

const ecrMock = mockClient(ECRClient);
const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/mcr-AbCdEf';
let upstream: RunningDistribution;
let registry: RunningDistribution;

const directory = mkdtempSync(path.join(tmpdir(), 'dockmaster-prepopulate-copy-cli-'));
const CONFIG = path.join(directory, 'copy.yaml');
writeFileSync(
  CONFIG,
  `version: 1
registry: { accountId: "111122223333", region: eu-central-1 }
pullThroughCache:
  - prefix: mcr
    upstream: mcr.microsoft.com
    mode: copy
    credentialArn: ${SECRET}
    prepopulate:
      images:
        - image: dotnet/runtime
          tags: ["8.0", "9.9"]
`,
);

const platformImage = (architecture: string) =>
  buildImage({ repositoryHint: `runtime-${architecture}`, platform: { os: 'linux', architecture }, layers: [{ seed: `runtime-${architecture}`, size: 3000 }] });
const runtime = buildIndex([platformImage('amd64'), platformImage('arm64')]);

const jsonResults = (out: string[]) => JSON.parse(out.join('\n')) as { registry: string; dryRun: boolean; results: PrepopulateResult[] };

const command = (reads: string[] = []) =>
  createPrepopulateCommand({
    upstreamEndpoints: JSON.stringify({ 'mcr.microsoft.com': upstream.url }),
    readSecret: async (arn) => {
      reads.push(arn);
      return { username: 'robot', accessToken: 'token' };
    },
  });

beforeEach(async () => {
  ecrMock.reset();
  [upstream, registry] = await Promise.all([startDistribution({ name: 'cli-copy-upstream' }), startDistribution({ name: 'cli-copy-registry' })]);
  await pushImage(new RegistryClient({ baseUrl: upstream.url }), 'dotnet/runtime', '8.0', runtime);
});

afterEach(async () => {
  await Promise.all([upstream?.stop(), registry?.stop()]);
});

describe('dockmaster prepopulate, copy mode', () => {
  it('--dry-run lists what would be copied from the upstream, logged in with the entry’s secret, and copies nothing', async () => {
    // Prepare
    const { io, out } = captureIo();
    const reads: string[] = [];

    // Act
    const code = await command(reads).run(['--config', CONFIG, '--registry', registry.url, '--dry-run', '--json'], io);

    // Assess
    expect(code).toBe(1);
    expect(jsonResults(out).results.map((result) => [`${result.repository}:${result.tag}`, result.status, result.reason ?? result.digest])).toEqual([
      ['mcr/dotnet/runtime:9.9', 'failed', 'missing-upstream'],
      ['mcr/dotnet/runtime:8.0', 'would-copy', runtime.manifestDigest],
    ]);
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads)).toEqual(new Set([SECRET]));
    expect(await new RegistryClient({ baseUrl: registry.url }).headManifest('mcr/dotnet/runtime', '8.0')).toBeNull();
  });

  it('copies the image whole into the registry with its upstream digest, and prints a table', async () => {
    // Prepare
    const json = captureIo();
    const table = captureIo();

    // Act
    const code = await command().run(['--config', CONFIG, '--registry', registry.url, '--json'], json.io);
    const again = await command().run(['--config', CONFIG, '--registry', registry.url], table.io);

    // Assess
    expect([code, again]).toEqual([1, 1]);
    const copied = jsonResults(json.out).results.find((result) => result.tag === '8.0');
    expect(copied).toMatchObject({ repository: 'mcr/dotnet/runtime', status: 'copied', digest: runtime.manifestDigest, platforms: ['linux/amd64', 'linux/arm64'], blobs: runtime.blobs.size });
    const check = new RegistryClient({ baseUrl: registry.url });
    expect((await check.headManifest('mcr/dotnet/runtime', '8.0'))?.digest).toBe(runtime.manifestDigest);
    for (const child of runtime.children) expect((await check.headManifest('mcr/dotnet/runtime', child.manifestDigest))?.digest).toBe(child.manifestDigest);
    expect(table.out.join('\n')).toContain(`Copied into ${registry.url}:`);
    expect(table.out.join('\n')).toMatch(new RegExp(`mcr/dotnet/runtime:8\\.0\\s+copied\\s+${runtime.manifestDigest}`));
  });

  it('--ecr logs in, creates the missing repository through ECR, then copies into the proxyEndpoint', async () => {
    // Prepare
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from('AWS:secret').toString('base64'), proxyEndpoint: registry.url, expiresAt: new Date(Date.now() + 3_600_000) }],
    });
    ecrMock.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'not found', $metadata: {} }));
    ecrMock.on(CreateRepositoryCommand).resolves({});
    const { io, out, err } = captureIo();

    // Act
    await command().run(['--config', CONFIG, '--ecr', '--json'], io);

    // Assess
    expect(jsonResults(out).results.find((result) => result.tag === '8.0')?.status).toBe('copied');
    expect(ecrMock.commandCalls(CreateRepositoryCommand).map((call) => call.args[0].input)).toEqual([
      { repositoryName: 'mcr/dotnet/runtime', imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'MUTABLE' },
    ]);
    expect(err).toContain('created mcr/dotnet/runtime for copies under mcr/ (scan on push on, MUTABLE)');
  });
});
