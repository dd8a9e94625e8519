import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  GetRepositoryPolicyCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { AUTOMATION_IDS, DockmasterEventType } from '@dockmaster/core/constants';
import { awsSampleEvent } from '@dockmaster/core/testing';
import { workerHandler } from '@dockmaster/core/topology';
import { workerBundleFile } from '@dockmaster/functions/bundle';
import { CRITICAL_FINDINGS, inspectImage } from '@dockmaster/local/demo';
import { WORKER_BUNDLES_VARIABLE, workerBundlesDir, WORKERS_VARIABLE } from '@dockmaster/local/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { fromRoot } from '../support/paths.js';

/*
 * The workers as Lambda runs them: the local stack with DOCKMASTER_WORKERS=bundled loads each worker from the
 * bundle built with the esbuild options SST derives from infra's `nodejs` settings (WORKER_NODEJS), not from its
 * TypeScript sources, and one end-to-end path per automation runs through those bundles. The bundles are built
 * once and reused while current (DOCKMASTER_WORKER_BUNDLES, default .dockmaster/worker-bundles).
 */

const FOREIGN_STATEMENT = { Sid: 'CiPush', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: ['ecr:PutImage'] };
const requireCache = createRequire(import.meta.url).cache;

let e2e: TestStack;
const previousEnvironment = { workers: process.env[WORKERS_VARIABLE], bundles: process.env[WORKER_BUNDLES_VARIABLE] };

const policyOf = async (repositoryName: string): Promise<{ Statement: Array<{ Sid?: string }> }> => {
  const { policyText } = await e2e.ecr.send(new GetRepositoryPolicyCommand({ repositoryName }));
  return JSON.parse(policyText ?? '{}') as { Statement: Array<{ Sid?: string }> };
};

beforeAll(async () => {
  process.env[WORKERS_VARIABLE] = 'bundled';
  e2e = await startTestStack({ prefix: 'bundled-state', demoImage: true });
  console.log(`local stack with bundled workers ready in ${e2e.stack.readyMs} ms (bundles in ${workerBundlesDir()})`);
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
  for (const [variable, value] of [[WORKERS_VARIABLE, previousEnvironment.workers], [WORKER_BUNDLES_VARIABLE, previousEnvironment.bundles]] as const) {
    if (value === undefined) delete process.env[variable];
    else process.env[variable] = value;
  }
});

describe('the local stack on the deployable worker bundles', () => {
  it('runs every deployed worker from its bundle', () => {
    // Assess: each worker's bundle was evaluated in this process, and every worker runs.
    const deployed = e2e.stack.status().automations;
    expect(deployed.map((automation) => automation.worker)).toEqual(deployed.map(() => 'running'));
    for (const { automation } of deployed) expect(requireCache[workerBundleFile(workerBundlesDir(), workerHandler(automation))]).toBeDefined();
    expect(deployed.map((automation) => automation.automation).sort()).toEqual([...AUTOMATION_IDS].sort());
  });

  it('tag-policy: removes a forbidden tag while the compliant tag of the same digest stays', async () => {
    // Prepare
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));

    // Act
    await e2e.push('prod/payments/api', '1.4.2');
    await e2e.push('prod/payments/api', 'latest');
    await e2e.stack.waitForIdle(20_000);

    // Assess
    expect(await e2e.tagsOf('prod/payments/api')).toEqual(['1.4.2']);
    expect(e2e.stack.log.recent().some((line) => line.includes('tag-policy prod/payments/api:latest') && line.includes('removed (enforce)'))).toBe(true);
  });

  it('cache-repository: gives the repository a first pull created its pull policy', async () => {
    // Act
    await inspectImage(e2e.registryHost, 'k8s/pause', '3.9');
    await e2e.stack.drain(20_000);

    // Assess
    expect((await policyOf('k8s/pause')).Statement.map((statement) => statement.Sid)).toEqual(['DockmasterPullAccounts', 'DockmasterPullOrganizations']);
  });

  it('cache-repository: merges its statements back into a policy someone replaced, keeping theirs', async () => {
    // Prepare: someone set a policy with only their own statement.
    await e2e.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'k8s/pause', policyText: JSON.stringify({ Version: '2012-10-17', Statement: [FOREIGN_STATEMENT] }) }));

    // Act
    e2e.stack.trigger('reconcile');
    await e2e.stack.drain(20_000);

    // Assess
    const { Statement } = await policyOf('k8s/pause');
    expect(Statement[0]).toEqual(FOREIGN_STATEMENT);
    expect(Statement.map((statement) => statement.Sid)).toEqual(['CiPush', 'DockmasterPullAccounts', 'DockmasterPullOrganizations']);
  });

  it('prepopulate: warms the allow-list without anyone pulling it', async () => {
    // Act
    e2e.stack.trigger('prepopulate');
    await e2e.stack.drain(30_000);

    // Assess
    const pause = await e2e.ecr.send(new DescribeImagesCommand({ repositoryName: 'k8s/pause' }));
    expect((pause.imageDetails ?? []).flatMap((detail) => detail.imageTags ?? []).sort()).toEqual(['3.10', '3.9']);
    expect(await e2e.tagsOf('k8s/coredns/coredns')).toEqual(['v1.11.1']);
  });

  it('scan-alert: alerts the owning team for a critical scan', async () => {
    // Act
    await e2e.stack.scan('prod/payments/api:1.4.2', CRITICAL_FINDINGS);
    await e2e.stack.waitForIdle(20_000);

    // Assess
    const alerts = e2e.stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ScanAlert && alert.team === 'payments');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.detail).toMatchObject({ team: 'payments', repository: 'prod/payments/api', digest: e2e.image.digest, severity: 'CRITICAL' });
    // Basic scanning (the local stack's scans) has no in-use data: the alert says so and carries no inUse.
    expect(alerts[0]?.detail).toMatchObject({ scanning: 'basic', urgency: 'high' });
    expect(alerts[0]?.detail).not.toHaveProperty('inUse');
    expect((alerts[0]?.detail as { message: { body: string } }).message.body).toContain(
      'In use:   not known: basic scanning does not report whether an image runs (Amazon Inspector enhanced scanning does)',
    );
  });

  it('scan-alert: resolves the alert as expired when Inspector stops scanning the image (Inspector2 Coverage INACTIVE)', async () => {
    // Prepare: the constructed coverage sample (test/fixtures/aws-events/SOURCES.md) for the image alerted above
    const [alerted] = e2e.stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ScanAlert && alert.team === 'payments');
    const { region, account } = alerted?.detail as { region: string; account: string };
    const sample = awsSampleEvent('inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json') as EventBridgeEnvelope;
    const coverage = { ...sample, region, account, resources: [`arn:aws:ecr:${region}:${account}:repository/prod/payments/api/${e2e.image.digest}`] };

    // Act
    const delivery = e2e.stack.bus.publish(coverage);
    await e2e.stack.waitForIdle(20_000);

    // Assess
    expect(delivery.automations).toEqual(['scan-alert']);
    const resolved = e2e.stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ScanAlertResolved && alert.team === 'payments');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.detail).toMatchObject({ digest: e2e.image.digest, cause: 'image-inactive', resolution: 'expired', allResolved: true });
  });
});
