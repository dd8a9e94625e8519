import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { isProcessAlive, readState } from '@dockmaster/local/control';
import { CRITICAL_FINDINGS, inspectImage } from '@dockmaster/local/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRunningStack, runLocal } from './support/local-cli.js';
import { answers, EXAMPLE_CONFIG, startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * The local stack end to end: real Distribution registries, real skopeo, the real AWS SDK against the local
 * endpoint, and the production workers in-process. Synchronised with waitForIdle/drain, never with sleeps.
 */

const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:GetDownloadUrlForLayer'];

let e2e: TestStack;

beforeAll(async () => {
  e2e = await startTestStack({ prefix: 'e2e-state', demoImage: true });
  console.log(`local stack ready in ${e2e.stack.readyMs} ms`);
});

afterAll(async () => {
  await e2e?.stop();
});

describe('local stack: tag policy', () => {
  it('removes a forbidden tag within seconds while the compliant tag of the same digest stays', async () => {
    // Prepare
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));

    // Act: two tags of one image, pushed with skopeo as a developer would.
    await e2e.push('prod/payments/api', '1.4.2');
    await e2e.push('prod/payments/api', 'latest');
    const pushedAt = performance.now();
    await e2e.stack.waitForIdle(20_000);
    const latencyMs = Math.round(performance.now() - pushedAt);

    // Assess
    console.log(`push-to-action latency (forbidden tag removed): ${latencyMs} ms`);
    expect(await e2e.tagsOf('prod/payments/api')).toEqual(['1.4.2']);
    const described = await e2e.ecr.send(new DescribeImagesCommand({ repositoryName: 'prod/payments/api', imageIds: [{ imageTag: '1.4.2' }] }));
    expect(described.imageDetails?.[0]?.imageDigest).toBe(e2e.image.digest);
    expect(e2e.stack.log.recent().some((line) => line.includes('tag-policy prod/payments/api:latest') && line.includes('removed (enforce)'))).toBe(true);
    expect(latencyMs).toBeLessThan(10_000);
  });
});

describe('local stack: pull-through cache repositories', () => {
  it('gives a repository created by a first pull the cross-account pull policy', async () => {
    // Act: a first pull through the cache creates k8s/pause; cache-repository batches for 5 s, drain() cuts that short.
    await inspectImage(e2e.registryHost, 'k8s/pause', '3.9');
    await e2e.stack.drain(20_000);

    // Assess
    const repositories = await e2e.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['k8s/pause'] }));
    expect(repositories.repositories?.[0]?.imageScanningConfiguration?.scanOnPush).toBe(true);
    const { policyText } = await e2e.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'k8s/pause' }));
    const statements = (JSON.parse(policyText ?? '{}') as { Statement: Array<{ Principal?: { AWS?: string[] }; Action: string[]; Condition?: unknown }> }).Statement;
    const byAccounts = statements.find((statement) => statement.Principal?.AWS !== undefined);
    expect(byAccounts?.Principal?.AWS?.slice().sort()).toEqual(['arn:aws:iam::444455556666:root', 'arn:aws:iam::777788889999:root']);
    expect(byAccounts?.Action.slice().sort()).toEqual(PULL_ACTIONS);
    const byOrganisation = statements.find((statement) => statement.Condition !== undefined);
    expect(byOrganisation?.Action.slice().sort()).toEqual(PULL_ACTIONS);
    expect(byOrganisation?.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } });
  });

  it('warms the allow-list without anyone pulling it', async () => {
    // Prepare: nobody pulled 3.10 or coredns.
    expect(await e2e.tagsOf('k8s/pause')).not.toContain('3.10');

    // Act
    e2e.stack.trigger('prepopulate');
    await e2e.stack.drain(30_000);

    // Assess
    const pause = await e2e.ecr.send(new DescribeImagesCommand({ repositoryName: 'k8s/pause' }));
    expect((pause.imageDetails ?? []).flatMap((detail) => detail.imageTags ?? []).sort()).toEqual(['3.10', '3.9']);
    expect(await e2e.tagsOf('k8s/coredns/coredns')).toEqual(['v1.11.1']);
  });
});

describe('local stack: scan alerts', () => {
  const paymentsScanAlerts = () => e2e.stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ScanAlert && alert.team === 'payments');

  it('alerts the owning team once for a critical scan, and not again for the same result', async () => {
    // Act
    await e2e.stack.scan('prod/payments/api:1.4.2', CRITICAL_FINDINGS);
    await e2e.stack.waitForIdle(20_000);
    const afterFirst = paymentsScanAlerts();
    await e2e.stack.scan('prod/payments/api:1.4.2', CRITICAL_FINDINGS);
    await e2e.stack.waitForIdle(20_000);

    // Assess
    expect(afterFirst).toHaveLength(1);
    expect(afterFirst[0]?.detail).toMatchObject({ team: 'payments', repository: 'prod/payments/api', digest: e2e.image.digest, severity: 'CRITICAL' });
    expect(paymentsScanAlerts()).toHaveLength(1);
    const findings = await e2e.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'prod/payments/api', imageId: { imageTag: '1.4.2' } }));
    expect(findings.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 2, HIGH: 1 });
  });

  it('lists the delivered Scan Alert objects with `local alerts --json`', async () => {
    // Prepare: the CLI finds the in-process stack through its state file, as it finds a detached one.
    recordRunningStack(e2e.stateDir, e2e.stack, EXAMPLE_CONFIG);

    // Act
    const result = await runLocal(['alerts', '--json'], e2e.stateDir);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out.join('\n'))).toEqual([expect.objectContaining({ team: 'payments', repository: 'prod/payments/api', severity: 'CRITICAL' })]);
  });
});

describe('dockmaster local up/down', () => {
  it('refuses a second up while one runs and prints the running URLs', async () => {
    // Prepare: the state file written in the previous test describes the running in-process e2e.stack.
    expect(readState(e2e.stateDir)?.pid).toBe(process.pid);

    // Act
    const result = await runLocal(['up', '--config', EXAMPLE_CONFIG], e2e.stateDir);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toContain(`a local stack is already running (pid ${process.pid}`);
    expect(JSON.parse(result.out.join('\n'))).toEqual({ registry: e2e.stack.urls.registry, aws: e2e.stack.urls.aws, upstreams: e2e.stack.urls.upstreams });
  });

  it('starts detached, then `down` stops what it started and nothing else', async () => {
    // Prepare: its own state directory, and a bystander process down must leave alone.
    const detachedDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-detached-'));
    const bystander: ChildProcess = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      // Act
      const up = await runLocal(['up', '--detach', '--config', EXAMPLE_CONFIG], detachedDir);
      const state = readState(detachedDir);
      const upstreamUrl = Object.values(state?.urls.upstreams ?? {})[0] ?? '';
      const servedBeforeDown = await answers(state?.urls.registry ?? '');
      const down = await runLocal(['down'], detachedDir);
      const again = await runLocal(['down'], detachedDir);

      // Assess
      expect(up.code).toBe(0);
      expect(up.out.join('\n')).toMatch(/^\{"registry": "http:\/\/127\.0\.0\.1:\d+", "aws": "http:\/\/127\.0\.0\.1:\d+", "upstreams": \{"registry\.k8s\.io": "http:\/\/127\.0\.0\.1:\d+"\}\}$/);
      expect(state?.detached).toBe(true);
      expect(servedBeforeDown).toBe(true);
      expect(down.code).toBe(0);
      expect(isProcessAlive(state?.pid ?? 0)).toBe(false);
      expect(await answers(state?.urls.registry ?? '')).toBe(false);
      expect(await answers(upstreamUrl)).toBe(false);
      expect(readState(detachedDir)).toBeUndefined();
      expect(again.code).toBe(1);
      expect(again.err.join('\n')).toContain('no local stack is running');
      // Nothing else: the bystander and the in-process stack still run.
      expect(isProcessAlive(bystander.pid ?? 0)).toBe(true);
      expect(await answers(e2e.stack.urls.registry)).toBe(true);
    } finally {
      bystander.kill();
      await rm(detachedDir, { recursive: true, force: true });
    }
  });
});
