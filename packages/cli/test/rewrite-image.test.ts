import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderRewriteCommand } from '../src/commands/render-rewrite.js';
import { rewriteImageCommand } from '../src/commands/rewrite-image.js';
import { EXAMPLE_CONFIG, fromRoot, runCli, scratch } from './support/cli.js';

const HOST = '111122223333.dkr.ecr.eu-central-1.amazonaws.com';
const DIGEST = `sha256:${'d'.repeat(64)}`;
const write = scratch('rewrite');
/** The example's account and k8s prefix, plus Docker Hub and Quay. */
const CONFIG = write(
  'rewrite.yaml',
  [
    'version: 1',
    'registry: { accountId: "111122223333", region: eu-central-1 }',
    'pullThroughCache:',
    '  - prefix: k8s',
    '    upstream: registry.k8s.io',
    '  - prefix: docker-hub',
    '    upstream: registry-1.docker.io',
    '    credentialArn: arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf',
    '  - prefix: quay',
    '    upstream: quay.io',
    '',
  ].join('\n'),
);

describe('dockmaster rewrite-image', () => {
  it('prints one line per reference, tag, digest or both kept, Docker Hub official images under library/', async () => {
    // Act
    const ran = await runCli(['rewrite-image', '--config', CONFIG, 'registry.k8s.io/pause:3.10', 'nginx:1.27', `quay.io/prometheus/node-exporter:v1.8.2@${DIGEST}`, 'bitnami/redis']);

    // Assess
    expect(ran).toEqual({
      code: 0,
      stdout: [`${HOST}/k8s/pause:3.10`, `${HOST}/docker-hub/library/nginx:1.27`, `${HOST}/quay/prometheus/node-exporter:v1.8.2@${DIGEST}`, `${HOST}/docker-hub/bitnami/redis:latest`].join('\n'),
      stderr: '',
    });
  });

  it('prints a reference already in the account registry unchanged', async () => {
    // Act
    const ran = await runCli(['rewrite-image', '--config', CONFIG, `${HOST}/k8s/pause:3.10`]);

    // Assess
    expect(ran).toEqual({ code: 0, stdout: `${HOST}/k8s/pause:3.10`, stderr: '' });
  });

  it('exits 1 naming the registry and the config key to add, and still prints the others', async () => {
    // Act
    const ran = await runCli(['rewrite-image', '--config', EXAMPLE_CONFIG, 'nginx:1.27', 'registry.k8s.io/pause:3.10']);

    // Assess
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe(`${HOST}/k8s/pause:3.10`);
    expect(ran.stderr).toBe(
      `nginx:1.27: no cache prefix for registry docker.io (Docker Hub): add { prefix: <name>, upstream: registry-1.docker.io } to pullThroughCache (in ${EXAMPLE_CONFIG})`,
    );
  });

  it('--json prints every reference in order with output or null and the reason', async () => {
    // Act
    const ran = await runCli(['rewrite-image', '--config', EXAMPLE_CONFIG, '--json', 'registry.k8s.io/pause', 'ghcr.io/acme/app:v1']);

    // Assess
    expect(ran.code).toBe(1);
    expect(JSON.parse(ran.stdout)).toEqual([
      { input: 'registry.k8s.io/pause', output: `${HOST}/k8s/pause:latest` },
      { input: 'ghcr.io/acme/app:v1', output: null, reason: 'no cache prefix for registry ghcr.io (GitHub Container Registry): add { prefix: <name>, upstream: ghcr.io } to pullThroughCache' },
    ]);
  });

  it('exits 1 for an image or tag a copy prefix never copied, naming the allow-list, and still prints the allow-listed one', async () => {
    // Prepare: the review's config: mcr.microsoft.com copied, only dotnet/runtime:8.0 allow-listed.
    const copy = write(
      'copy.yaml',
      [
        'version: 1',
        'registry: { accountId: "111122223333", region: eu-central-1 }',
        'pullThroughCache:',
        '  - prefix: mcr',
        '    upstream: mcr.microsoft.com',
        '    mode: copy',
        '    prepopulate:',
        '      images:',
        '        - image: dotnet/runtime',
        '          tags: ["8.0"]',
        '',
      ].join('\n'),
    );
    const where = 'prepopulate.images of the pullThroughCache entry with prefix mcr';

    // Act
    const ran = await runCli(['rewrite-image', '--config', copy, 'mcr.microsoft.com/other/image:1', 'mcr.microsoft.com/dotnet/runtime:9.0', 'mcr.microsoft.com/dotnet/runtime:8.0']);
    const json = await runCli(['rewrite-image', '--config', copy, '--json', 'mcr.microsoft.com/other/image:1']);

    // Assess
    expect(ran).toEqual({
      code: 1,
      stdout: `${HOST}/mcr/dotnet/runtime:8.0`,
      stderr: [
        `mcr.microsoft.com/other/image:1: copy prefix mcr holds only its allow-listed images and other/image is not one of them: add { image: other/image, tags: ["1"] } to ${where} (in ${copy})`,
        `mcr.microsoft.com/dotnet/runtime:9.0: copy prefix mcr holds only the tags 8.0 of dotnet/runtime: add "9.0" to the tags of dotnet/runtime in ${where} (in ${copy})`,
      ].join('\n'),
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        input: 'mcr.microsoft.com/other/image:1',
        output: null,
        reason: `copy prefix mcr holds only its allow-listed images and other/image is not one of them: add { image: other/image, tags: ["1"] } to ${where}`,
      },
    ]);
  });

  it.each([
    ['registry.k8s.io/Pause:3.10', 'repository "Pause" must be lowercase (write "pause")'],
    ['nginx:', 'the tag after ":" is empty; drop the ":" or name a tag'],
    ['nginx@sha256:1234', 'invalid digest "sha256:1234"; write it as sha256:<64 lowercase hex digits>'],
  ])('exits 2 for %s with what is wrong, and still prints the valid ones', async (bad, problem) => {
    // Act
    const ran = await runCli(['rewrite-image', '--config', CONFIG, bad, 'registry.k8s.io/pause:3.10']);

    // Assess
    expect(ran).toEqual({ code: 2, stdout: `${HOST}/k8s/pause:3.10`, stderr: `${bad}: not a valid image reference: ${problem}` });
  });

  it('exits 2 without a reference or with an unknown option', async () => {
    // Act
    const none = await runCli(['rewrite-image', '--config', CONFIG]);
    const unknown = await runCli(['rewrite-image', '--config', CONFIG, '--yaml', 'nginx']);

    // Assess
    expect([none.code, unknown.code]).toEqual([2, 2]);
    expect(none.stderr).toContain('name at least one image reference');
    expect(unknown.stderr).toContain("Unknown option '--yaml'");
  });
});

describe('dockmaster render-rewrite', () => {
  it('--format kyverno prints a ClusterPolicy the YAML parser reads back, covering every configured upstream', async () => {
    // Act
    const ran = await runCli(['render-rewrite', '--config', CONFIG, '--format', 'kyverno']);

    // Assess
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe('');
    const policy = parse(ran.stdout) as { apiVersion: string; kind: string; spec: { rules: { name: string; mutate: { foreach: { patchStrategicMerge: unknown }[] } }[] } };
    expect([policy.apiVersion, policy.kind]).toEqual(['kyverno.io/v1', 'ClusterPolicy']);
    expect(policy.spec.rules.map((rule) => rule.name)).toEqual(['rewrite-containers', 'rewrite-initcontainers', 'rewrite-ephemeralcontainers']);
    const images = JSON.stringify(policy.spec.rules[0]?.mutate.foreach.map((entry) => entry.patchStrategicMerge));
    for (const base of [`${HOST}/k8s/$1`, `${HOST}/docker-hub/library/$1`, `${HOST}/docker-hub/$1`, `${HOST}/quay/$1`]) expect(images).toContain(base);
    expect(ran.stdout).toContain("regex_match('^registry[.]k8s[.]io/(.+)$'");
    expect(ran.stdout).toContain("regex_match('^quay[.]io/(.+)$'");
  });

  it('--format renovate prints registryAliases as JSON', async () => {
    // Act
    const ran = await runCli(['render-rewrite', '--config', CONFIG, '--format', 'renovate']);

    // Assess
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({
      registryAliases: { [`${HOST}/docker-hub`]: 'docker.io', [`${HOST}/quay`]: 'quay.io', [`${HOST}/k8s`]: 'registry.k8s.io' },
    });
  });

  it('exits 1 when there is no prefix to rewrite to', async () => {
    // Prepare
    const bare = write('bare.yaml', 'version: 1\nregistry: { accountId: "111122223333", region: eu-central-1 }\n');

    // Act
    const kyverno = await runCli(['render-rewrite', '--config', bare, '--format', 'kyverno']);
    const renovate = await runCli(['render-rewrite', '--config', bare, '--format', 'renovate']);

    // Assess
    expect([kyverno.code, kyverno.stdout, renovate.code, renovate.stdout]).toEqual([1, '', 1, '']);
    expect(kyverno.stderr).toContain('has no pullThroughCache prefix to rewrite images to');
  });

  it('exits 2 for a missing or unknown --format', async () => {
    // Act
    const missing = await runCli(['render-rewrite', '--config', CONFIG]);
    const unknown = await runCli(['render-rewrite', '--config', CONFIG, '--format', 'gatekeeper']);

    // Assess
    expect([missing.code, unknown.code]).toEqual([2, 2]);
    expect(missing.stderr).toContain('--format kyverno|renovate is required');
    expect(unknown.stderr).toContain('--format kyverno|renovate "gatekeeper" is not one of them');
  });
});

describe('docs/cli.md', () => {
  it('has a section headed by the usage of rewrite-image and of render-rewrite', () => {
    // Act
    const headings = readFileSync(fromRoot('docs/cli.md'), 'utf8').split('\n').filter((line) => line.startsWith('### `dockmaster r'));

    // Assess
    expect(headings).toContain(`### \`${rewriteImageCommand.usage}\``);
    expect(headings).toContain(`### \`${renderRewriteCommand.usage}\``);
  });
});
