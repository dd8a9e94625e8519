import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
} from '@aws-sdk/client-ecr';
import { renderRepositoryTemplate } from '@dockmaster/core/cache-repository';
import { DockmasterEventType } from '@dockmaster/core/constants';
import type { BusDelivery } from '@dockmaster/local/bus';
import { pushOciLayout, writeDemoImage } from '@dockmaster/local/demo';
import { startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { partitionOf } from '@dockmaster/core/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRunningStack, runLocal } from './support/local-cli.js';

/*
 * Repository creation templates beyond the cache, end to end on the local stack (docs/examples/repository-templates.yaml):
 * skopeo pushes to a repository nobody created under a CREATE_ON_PUSH prefix; the local ECR creates it from the
 * same rendered template infra deploys, the cache-repository worker sets what a template cannot (scan on push),
 * and the reconcile sweep repairs drift later (templates act only at creation). Synchronised with drain().
 */

const CONFIG = new URL('../../docs/examples/repository-templates.yaml', import.meta.url);
const REPOSITORY = 'apps/checkout';

let stack: LocalStack;
let ecr: ECRClient;
let stateDir: string;
let image: Awaited<ReturnType<typeof writeDemoImage>>;
const deliveries: BusDelivery[] = [];

const appsTemplate = () => {
  const entry = stack.config.repositoryTemplates.find((candidate) => candidate.prefix === 'apps');
  if (entry === undefined) throw new Error('the example has no apps template');
  return renderRepositoryTemplate(entry, partitionOf(stack.config.registry.region));
};

const changeEvents = () =>
  deliveries
    .filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] !== undefined && [DockmasterEventType.CacheRepositoryConfigured, DockmasterEventType.CacheRepositoryDriftRepaired].includes(delivery.event['detail-type'] as never))
    .map((delivery) => [delivery.event['detail-type'], (delivery.event.detail as { repository?: string; trigger?: string }).repository, (delivery.event.detail as { trigger?: string }).trigger]);

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-templates-'));
  stack = await startLocalStack({ configPath: CONFIG.pathname, stateDir });
  stack.bus.onDelivery((delivery) => void deliveries.push(delivery));
  ecr = new ECRClient({ endpoint: stack.urls.aws, region: stack.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } });
  image = await writeDemoImage();
  recordRunningStack(stateDir, stack, CONFIG.pathname);
});

afterAll(async () => {
  ecr?.destroy();
  await stack?.stop();
  await rm(stateDir, { recursive: true, force: true });
  if (image !== undefined) await rm(image.layoutDir, { recursive: true, force: true });
});

describe('local stack: repository creation templates (CREATE_ON_PUSH)', () => {
  it("creates a repository on a skopeo push with the template's settings; the worker adds scan on push", async () => {
    // Prepare
    const before = await ecr.send(new DescribeRepositoriesCommand({}));

    // Act
    await pushOciLayout(image.layoutDir, image.ref, new URL(stack.urls.registry).host, REPOSITORY, 'v1');
    await stack.drain(30_000);

    // Assess
    expect(before.repositories?.map((repository) => repository.repositoryName)).not.toContain(REPOSITORY);
    const [described] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] }))).repositories ?? [];
    expect(described).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    const template = appsTemplate();
    expect((await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: REPOSITORY }))).policyText).toBe(template.repositoryPolicy);
    expect((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: REPOSITORY }))).lifecyclePolicyText).toBe(template.lifecyclePolicy);
    // The template left only scan on push to the worker, which it set on the creation event.
    expect(changeEvents()).toEqual([[DockmasterEventType.CacheRepositoryConfigured, REPOSITORY, 'create-repository']]);
  });

  it('repairs drift under the template prefix on `dockmaster local trigger reconcile`', async () => {
    // Prepare: someone loosens the repository after creation; the template does not act again.
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: REPOSITORY, imageTagMutability: 'MUTABLE' }));
    await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: REPOSITORY, imageScanningConfiguration: { scanOnPush: false } }));
    deliveries.length = 0;

    // Act
    const triggered = await runLocal(['trigger', 'reconcile'], stateDir);
    await stack.drain(30_000);

    // Assess
    expect(triggered.code).toBe(0);
    const [described] = (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] }))).repositories ?? [];
    expect(described).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    expect(changeEvents()).toEqual([[DockmasterEventType.CacheRepositoryDriftRepaired, REPOSITORY, 'reconcile']]);
  });

  it('still refuses a push outside every CREATE_ON_PUSH prefix (mirror/eu is REPLICATION only)', async () => {
    // Act
    const pushed = pushOciLayout(image.layoutDir, image.ref, new URL(stack.urls.registry).host, 'mirror/eu/base', 'v1');

    // Assess
    await expect(pushed).rejects.toThrow(/mirror\/eu\/base/);
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories?.map((repository) => repository.repositoryName)).toEqual([REPOSITORY]);
  });
});
