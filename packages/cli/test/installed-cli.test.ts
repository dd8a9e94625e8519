import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { buildImage, pushImage, RegistryClient } from '@dockmaster/registry';
import { type RunningDistribution, startDistribution } from '@dockmaster/registry/testing';
import { COMPLIANT_LABELS, CRITICAL_FINDINGS } from '@dockmaster/local/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG, fromRoot, runProcess, sampleEvent, scratch, type Ran } from './support/cli.js';

/*
 * What ships: `node_modules/.bin/dockmaster`, the launcher npm links, running the bundle `npm ci` builds (the root
 * `prepare` script, rebuilt here with the same `npm run build:cli`), in a child process as a user runs it. Every
 * command `--help` lists runs on real inputs: the example config, AWS sample events, real Distribution registries
 * and a detached local stack. DOCKMASTER_DEBUG=1 makes the launcher say what it ran; each command must have run
 * the bundle, not the tsx fallback.
 */

const run = promisify(execFile);
const BIN = fromRoot('node_modules/.bin/dockmaster');
const RAN_BUNDLE = `dockmaster: running the bundle ${fromRoot('packages/cli/dist/dockmaster.mjs')}`;
/** `local alerts` runs while the worker may still be at work: at most this many more asks. */
const ALERT_POLLS = 20;
const FOREIGN_STATEMENT = { Sid: 'CiPush', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: ['ecr:PutImage'] };

const file = scratch('installed-cli');
const { directory } = file;
const stateDir = path.join(directory, 'state');

/** `dockmaster <argv>` through the installed bin, from a directory outside the checkout. */
const dockmaster = async (argv: string[], timeout = 60_000): Promise<Ran> => {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKMASTER_DEBUG: '1', DOCKMASTER_STATE_DIR: stateDir };
  delete env.DOCKMASTER_FROM_SOURCES;
  return runProcess(BIN, argv, { cwd: directory, env, timeout });
};
/** The command's stderr without the launcher's line, which the test checks separately. */
const messages = (ran: Ran): string => ran.stderr.split('\n').filter((line) => line !== RAN_BUNDLE).join('\n');

/** The commands the bin lists in `--help`: each must have its own test below. */
const COVERED = ['validate', 'check-tag', 'explain', 'test-pattern', 'render-policy', 'rewrite-image', 'render-rewrite', 'prepopulate', 'render-alert', 'redrive', 'sync', 'local'];

let upstream: RunningDistribution;
let cache: RunningDistribution;
const pause = buildImage({ repositoryHint: 'installed-pause', layers: [{ seed: 'installed-pause-layer', size: 3000 }] });
/** Carries the labels the example's production policy requires, so tag-policy keeps it in the local stack. */
const payments = buildImage({ repositoryHint: 'installed-payments', labels: { ...COMPLIANT_LABELS }, layers: [{ seed: 'installed-payments-layer', size: 3000 }] });
const coredns = buildImage({ repositoryHint: 'installed-coredns', layers: [{ seed: 'installed-coredns-layer', size: 3000 }] });

beforeAll(async () => {
  // What `npm ci` runs through `prepare`: the bundle in packages/cli/dist, current for these sources.
  await run('npm', ['run', 'build:cli'], { cwd: fromRoot('') });
  upstream = await startDistribution({ name: 'installed-cli-upstream' });
  cache = await startDistribution({ name: 'installed-cli-cache', proxyRemoteUrl: upstream.url });
  const client = new RegistryClient({ baseUrl: upstream.url });
  await pushImage(client, 'k8s/pause', '3.10', pause);
  await pushImage(client, 'k8s/coredns/coredns', 'v1.11.1', coredns);
}, 120_000);

afterAll(async () => {
  await cache?.stop();
  await upstream?.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('the installed dockmaster', () => {
  it('lists exactly the commands this test runs', async () => {
    // Act
    const help = await dockmaster(['--help']);

    // Assess
    const listed = help.stdout.split('\n').flatMap((line) => /^ {2}([a-z-]+) {2,}/.exec(line)?.[1] ?? []);
    expect(help.code).toBe(0);
    expect(listed).toEqual(COVERED);
  });

  it('validate: the example config is valid', async () => {
    // Act
    const ran = await dockmaster(['validate', EXAMPLE_CONFIG]);

    // Assess
    expect(ran).toMatchObject({ code: 0, stderr: RAN_BUNDLE });
    expect(ran.stdout).toBe(`${EXAMPLE_CONFIG} is valid: 2 tag policies, 1 cache prefix(es), 3 allow-listed image(s), 3 team(s)`);
  });

  it('check-tag: refuses `latest` for a production repository (exit 1)', async () => {
    // Act
    const ran = await dockmaster(['check-tag', '--config', EXAMPLE_CONFIG, '--json', 'prod/payments/api:latest']);

    // Assess
    expect(ran).toMatchObject({ code: 1, stderr: RAN_BUNDLE });
    const decision = JSON.parse(ran.stdout) as { compliant: boolean; policy: string; violations: { rule: string }[] };
    expect(decision).toMatchObject({ compliant: false, policy: 'production-services' });
    expect(decision.violations.map((violation) => violation.rule)).toContain('forbidden-tag');
  });

  it('explain: routes a real push event of a production repository to tag-policy', async () => {
    // Prepare
    const sample = JSON.parse(readFileSync(sampleEvent('ecr-image-action-push-success.json'), 'utf8')) as { detail: Record<string, unknown> };
    const event = file('push.json', { ...sample, detail: { ...sample.detail, 'repository-name': 'prod/payments/api', 'image-tag': 'latest' } });

    // Act
    const ran = await dockmaster(['explain', '--config', EXAMPLE_CONFIG, event]);

    // Assess
    expect(ran).toMatchObject({ code: 0, stderr: RAN_BUNDLE });
    expect(JSON.parse(ran.stdout)).toEqual({ jobs: ['tag-policy'] });
  });

  it('test-pattern: matches a real ECR push event', async () => {
    // Prepare
    const pattern = file('pattern.json', { source: ['aws.ecr'], 'detail-type': ['ECR Image Action'], detail: { 'action-type': ['PUSH'] } });

    // Act
    const ran = await dockmaster(['test-pattern', pattern, sampleEvent('ecr-image-action-push-success.json')]);

    // Assess
    expect(ran).toEqual({ code: 0, stdout: 'true', stderr: RAN_BUNDLE });
  });

  it('render-policy: merges its statements into an existing policy, keeping the foreign one', async () => {
    // Prepare
    const existing = file('existing-policy.json', { Version: '2012-10-17', Statement: [FOREIGN_STATEMENT] });

    // Act
    const ran = await dockmaster(['render-policy', '--config', EXAMPLE_CONFIG, '--repository', 'k8s/pause', '--existing', existing]);

    // Assess
    expect(ran).toMatchObject({ code: 0, stderr: RAN_BUNDLE });
    const { changed, policy } = JSON.parse(ran.stdout) as { changed: boolean; policy: { Statement: { Sid: string }[] } };
    expect(changed).toBe(true);
    expect(policy.Statement[0]).toEqual(FOREIGN_STATEMENT);
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual(['CiPush', 'DockmasterPullAccounts', 'DockmasterPullOrganizations']);
  });

  it('rewrite-image: sends an upstream reference to the cache and names the prefix to add for another (exit 1)', async () => {
    // Act
    const ran = await dockmaster(['rewrite-image', '--config', EXAMPLE_CONFIG, '--json', 'registry.k8s.io/pause:3.10', 'nginx:1.27']);

    // Assess
    expect(ran).toMatchObject({ code: 1, stderr: expect.stringContaining(RAN_BUNDLE) });
    expect(JSON.parse(ran.stdout)).toEqual([
      { input: 'registry.k8s.io/pause:3.10', output: '111122223333.dkr.ecr.eu-central-1.amazonaws.com/k8s/pause:3.10' },
      { input: 'nginx:1.27', output: null, reason: expect.stringContaining('upstream: registry-1.docker.io') },
    ]);
  });

  it('render-rewrite: prints the Kyverno policy for the example prefix', async () => {
    // Act
    const ran = await dockmaster(['render-rewrite', '--config', EXAMPLE_CONFIG, '--format', 'kyverno']);

    // Assess
    expect(ran).toMatchObject({ code: 0, stderr: RAN_BUNDLE });
    const policy = parse(ran.stdout) as { apiVersion: string; kind: string; spec: { rules: { name: string }[] } };
    expect([policy.apiVersion, policy.kind]).toEqual(['kyverno.io/v1', 'ClusterPolicy']);
    expect(policy.spec.rules.map((rule) => rule.name)).toEqual(['rewrite-containers', 'rewrite-initcontainers', 'rewrite-ephemeralcontainers']);
    expect(ran.stdout).toContain('111122223333.dkr.ecr.eu-central-1.amazonaws.com/k8s/$1');
  });

  it('prepopulate: warms the allow-list through a real pull-through cache', async () => {
    // Prepare
    const config = file(
      'prepopulate.yaml',
      [
        'version: 1',
        'registry: { accountId: "111122223333", region: eu-central-1 }',
        'pullThroughCache:',
        '  - prefix: k8s',
        '    upstream: registry.k8s.io',
        '    prepopulate:',
        '      images:',
        '        - { image: pause, tags: ["3.10"] }',
        '        - { image: coredns/coredns, tags: ["v1.11.1"] }',
        '',
      ].join('\n'),
    );

    // Act
    const ran = await dockmaster(['prepopulate', '--config', config, '--registry', cache.url, '--json']);
    const cached = await new RegistryClient({ baseUrl: cache.url }).getManifest('k8s/pause', '3.10');

    // Assess
    expect(ran).toMatchObject({ code: 0, stderr: RAN_BUNDLE });
    const { results } = JSON.parse(ran.stdout) as { results: { repository: string; status: string; digest: string }[] };
    expect(results.map((result) => [result.repository, result.status, result.digest])).toEqual([
      ['k8s/pause', 'warmed', pause.manifestDigest],
      ['k8s/coredns/coredns', 'warmed', coredns.manifestDigest],
    ]);
    expect(cached.digest).toBe(pause.manifestDigest);
  });

  it('render-alert: the alert on-call gets for a critical scan of a payments image', async () => {
    // Prepare
    const sample = JSON.parse(readFileSync(sampleEvent('ecr-image-scan-basic-complete.json'), 'utf8')) as { detail: Record<string, unknown> };
    const event = file('scan.json', { ...sample, region: 'eu-central-1', account: '111122223333', detail: { ...sample.detail, 'repository-name': 'prod/payments/api', 'image-tags': ['1.4.2'] } });
    const findings = file('findings.json', CRITICAL_FINDINGS);

    // Act
    const ran = await dockmaster(['render-alert', '--config', EXAMPLE_CONFIG, '--findings', findings, '--json', event]);

    // Assess
    expect(ran).toMatchObject({ code: 0, stderr: RAN_BUNDLE });
    expect(JSON.parse(ran.stdout)).toMatchObject({ alert: { team: 'payments', repository: 'prod/payments/api', severity: 'CRITICAL', counts: { CRITICAL: 2, HIGH: 1 } } });
  });

  it('sync: copies a repository between two registries with its digest', async () => {
    // Prepare
    const target = await startDistribution({ name: 'installed-cli-sync-target' });
    try {
      // Act
      const ran = await dockmaster(['sync', '--from', upstream.url, '--to', target.url, '--repository', 'k8s/pause', '--json']);
      const copied = await new RegistryClient({ baseUrl: target.url }).getManifest('k8s/pause', '3.10');

      // Assess
      expect(ran.code).toBe(0);
      expect(ran.stderr.split('\n')).toContain(RAN_BUNDLE);
      expect(copied.digest).toBe(pause.manifestDigest);
    } finally {
      await target.stop();
    }
  });

  it('local and redrive: a detached stack is started, used, redriven against and stopped', async () => {
    // Act
    const up = await dockmaster(['local', 'up', '--detach', '--config', EXAMPLE_CONFIG], 120_000);
    try {
      const urls = JSON.parse(up.stdout) as { registry: string; aws: string };
      const ecr = new ECRClient({ endpoint: urls.aws, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
      ecr.destroy();
      await pushImage(new RegistryClient({ baseUrl: urls.registry }), 'prod/payments/api', '1.4.2', payments);
      const status = await dockmaster(['local', 'status']);
      const findings = file('local-findings.json', CRITICAL_FINDINGS);
      const scan = await dockmaster(['local', 'scan', 'prod/payments/api:1.4.2', '--findings', findings]);
      const trigger = await dockmaster(['local', 'trigger', 'watchdog']);
      // The CLI has no wait-for-idle: ask again until the scan-alert worker delivered (bounded).
      let alerts = await dockmaster(['local', 'alerts', '--json']);
      for (let attempt = 0; attempt < ALERT_POLLS && alerts.stdout.trim() === '[]'; attempt += 1) alerts = await dockmaster(['local', 'alerts', '--json']);
      const redrive = await dockmaster(['redrive', '--queue', 'tag-policy', '--dry-run']);

      // Assess
      expect(up.code, messages(up)).toBe(0);
      expect(up.stderr).toBe(RAN_BUNDLE);
      for (const ran of [status, scan, trigger, alerts]) expect(ran.stderr).toBe(RAN_BUNDLE);
      expect(Object.keys(JSON.parse(up.stdout) as object)).toEqual(['registry', 'aws', 'upstreams']);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('tag-policy');
      expect([scan.code, trigger.code, alerts.code], messages(scan)).toEqual([0, 0, 0]);
      expect(scan.stdout).toContain('ECR Image Scan COMPLETE -> scan-alert');
      expect(JSON.parse(alerts.stdout)).toEqual([expect.objectContaining({ team: 'payments', repository: 'prod/payments/api', digest: payments.manifestDigest, severity: 'CRITICAL' })]);
      expect(redrive.stderr.split('\n')).toContain(RAN_BUNDLE);
      expect(redrive.code, messages(redrive)).toBe(0);
    } finally {
      const down = await dockmaster(['local', 'down']);
      expect(down.code, messages(down)).toBe(0);
    }
  }, 180_000);
});
