import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  GetRepositoryPolicyCommand,
  ListImagesCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { AUTOMATION_IDS, DockmasterEventType } from '@dockmaster/core/constants';
import { workerHandler } from '@dockmaster/core/topology';
import { workerBundleFile } from '@dockmaster/functions/bundle';
import { CRITICAL_FINDINGS, inspectImage, pushOciLayout, writeDemoImage } from '@dockmaster/local/demo';
import { WORKER_BUNDLES_VARIABLE, workerBundlesDir, WORKERS_VARIABLE } from '@dockmaster/local/runner';
import { startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The workers as Lambda runs them: the local stack with DOCKMASTER_WORKERS=bundled loads each worker from the
 * bundle built with the esbuild options SST derives from infra's `nodejs` settings (WORKER_NODEJS), not from its
 * TypeScript sources, and one end-to-end path per automation runs through those bundles. The bundles are built
 * once and reused while current (DOCKMASTER_WORKER_BUNDLES, default .dockmaster/worker-bundles).
 */

const CONFIG = new URL('../../docs/examples/dockmaster.example.yaml', import.meta.url);
const FOREIGN_STATEMENT = { Sid: 'CiPush', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: ['ecr:PutImage'] };
const requireCache = createRequire(import.meta.url).cache;

let stack: LocalStack;
let ecr: ECRClient;
let registryHost: string;
let stateDir: string;
let image: Awaited<ReturnType<typeof writeDemoImage>>;
const previousEnvironment = { workers: process.env[WORKERS_VARIABLE], bundles: process.env[WORKER_BUNDLES_VARIABLE] };

const tagsOf = async (repositoryName: string): Promise<string[]> => {
  const listed = await ecr.send(new ListImagesCommand({ repositoryName }));
  return (listed.imageIds ?? []).flatMap((id) => (id.imageTag === undefined ? [] : [id.imageTag])).sort();
};

const policyOf = async (repositoryName: string): Promise<{ Statement: Array<{ Sid?: string }> }> => {
  const { policyText } = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName }));
  return JSON.parse(policyText ?? '{}') as { Statement: Array<{ Sid?: string }> };
};

beforeAll(async () => {
  process.env[WORKERS_VARIABLE] = 'bundled';
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-bundled-state-'));
  stack = await startLocalStack({ configPath: CONFIG.pathname, stateDir });
  console.log(`local stack with bundled workers ready in ${stack.readyMs} ms (bundles in ${workerBundlesDir()})`);
  registryHost = new URL(stack.urls.registry).host;
  ecr = new ECRClient({ endpoint: stack.urls.aws, region: stack.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } });
  image = await writeDemoImage();
}, 120_000);

afterAll(async () => {
  ecr?.destroy();
  await stack?.stop();
  for (const [variable, value] of [[WORKERS_VARIABLE, previousEnvironment.workers], [WORKER_BUNDLES_VARIABLE, previousEnvironment.bundles]] as const) {
    if (value === undefined) delete process.env[variable];
    else process.env[variable] = value;
  }
  await rm(stateDir, { recursive: true, force: true });
  if (image !== undefined) await rm(image.layoutDir, { recursive: true, force: true });
});

describe('the local stack on the deployable worker bundles', () => {
  it('runs every deployed worker from its bundle', () => {
    // Assess: each worker's bundle was evaluated in this process, and every worker runs.
    const deployed = stack.status().automations;
    expect(deployed.map((automation) => automation.worker)).toEqual(deployed.map(() => 'running'));
    for (const { automation } of deployed) expect(requireCache[workerBundleFile(workerBundlesDir(), workerHandler(automation))]).toBeDefined();
    expect(deployed.map((automation) => automation.automation).sort()).toEqual([...AUTOMATION_IDS].sort());
  });

  it('tag-policy: removes a forbidden tag while the compliant tag of the same digest stays', async () => {
    // Prepare
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));

    // Act
    await pushOciLayout(image.layoutDir, image.ref, registryHost, 'prod/payments/api', '1.4.2');
    await pushOciLayout(image.layoutDir, image.ref, registryHost, 'prod/payments/api', 'latest');
    await stack.waitForIdle(20_000);

    // Assess
    expect(await tagsOf('prod/payments/api')).toEqual(['1.4.2']);
    expect(stack.log.recent().some((line) => line.includes('tag-policy prod/payments/api:latest') && line.includes('removed (enforce)'))).toBe(true);
  });

  it('cache-repository: gives the repository a first pull created its pull policy', async () => {
    // Act
    await inspectImage(registryHost, 'k8s/pause', '3.9');
    await stack.drain(20_000);

    // Assess
    expect((await policyOf('k8s/pause')).Statement.map((statement) => statement.Sid)).toEqual(['DockmasterPullAccounts', 'DockmasterPullOrganizations']);
  });

  it('cache-repository: merges its statements back into a policy someone replaced, keeping theirs', async () => {
    // Prepare: someone set a policy with only their own statement.
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'k8s/pause', policyText: JSON.stringify({ Version: '2012-10-17', Statement: [FOREIGN_STATEMENT] }) }));

    // Act
    stack.trigger('reconcile');
    await stack.drain(20_000);

    // Assess
    const { Statement } = await policyOf('k8s/pause');
    expect(Statement[0]).toEqual(FOREIGN_STATEMENT);
    expect(Statement.map((statement) => statement.Sid)).toEqual(['CiPush', 'DockmasterPullAccounts', 'DockmasterPullOrganizations']);
  });

  it('prepopulate: warms the allow-list without anyone pulling it', async () => {
    // Act
    stack.trigger('prepopulate');
    await stack.drain(30_000);

    // Assess
    const pause = await ecr.send(new DescribeImagesCommand({ repositoryName: 'k8s/pause' }));
    expect((pause.imageDetails ?? []).flatMap((detail) => detail.imageTags ?? []).sort()).toEqual(['3.10', '3.9']);
    expect(await tagsOf('k8s/coredns/coredns')).toEqual(['v1.11.1']);
  });

  it('scan-alert: alerts the owning team for a critical scan', async () => {
    // Act
    await stack.scan('prod/payments/api:1.4.2', CRITICAL_FINDINGS);
    await stack.waitForIdle(20_000);

    // Assess
    const alerts = stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ScanAlert && alert.team === 'payments');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.detail).toMatchObject({ team: 'payments', repository: 'prod/payments/api', digest: image.digest, severity: 'CRITICAL' });
  });
});
