import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, PutImageTagMutabilityCommand } from '@aws-sdk/client-ecr';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queueNames } from '@dockmaster/core/topology';
import { pushOciLayout } from '@dockmaster/local/demo';
import { startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { buildImage, writeOciLayout } from '@dockmaster/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Issue 15 item 4 on the local stack, with the production tag-policy worker: the example's policy "releases"
 * (prod/**: immutable except dev-* and latest) is compiled into ECR. The first push to a new repository makes
 * the worker set IMMUTABLE_WITH_EXCLUSION; from then on the local ECR itself refuses a push that would move a
 * release tag, while dev-* still moves. A setting changed by hand is put back by the sweep.
 */

const CONFIG = new URL('../../docs/examples/tag-immutability.yaml', import.meta.url);
const REPOSITORY = 'prod/immutable-e2e';
const RELEASES = {
  imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
  imageTagMutabilityExclusionFilters: [
    { filterType: 'WILDCARD', filter: 'dev-*' },
    { filterType: 'WILDCARD', filter: 'latest' },
  ],
};

let stack: LocalStack;
let ecr: ECRClient;
let sqs: SQSClient;
let layoutDir: string;
let stateDir: string;

const imageA = buildImage({ repositoryHint: REPOSITORY, layers: [{ seed: 'immutability-image-a', size: 8 * 1024 }] });
const imageB = buildImage({ repositoryHint: REPOSITORY, layers: [{ seed: 'immutability-image-b', size: 8 * 1024 }] });

const tagsInEcr = async (): Promise<Record<string, string>> => {
  const described = await ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY }));
  return Object.fromEntries((described.imageDetails ?? []).flatMap((detail) => (detail.imageTags ?? []).map((tag) => [tag, detail.imageDigest ?? ''])));
};

const mutability = async () => {
  const described = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] }));
  const repository = described.repositories?.[0];
  return { imageTagMutability: repository?.imageTagMutability, imageTagMutabilityExclusionFilters: repository?.imageTagMutabilityExclusionFilters };
};

const failureOf = async (push: Promise<unknown>): Promise<string> => {
  try {
    await push;
  } catch (error) {
    return String((error as Error).message);
  }
  throw new Error('the push succeeded');
};

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-immutability-'));
  stack = await startLocalStack({ configPath: CONFIG.pathname, stateDir });
  const endpoint = { endpoint: stack.urls.aws, region: stack.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } };
  ecr = new ECRClient(endpoint);
  sqs = new SQSClient(endpoint);
  layoutDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-immutability-layout-'));
  await writeOciLayout(layoutDir, { a: imageA, b: imageB });
});

afterAll(async () => {
  ecr?.destroy();
  sqs?.destroy();
  await stack?.stop();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
  if (layoutDir !== undefined) await rm(layoutDir, { recursive: true, force: true });
});

describe('local stack: tag immutability compiled into ECR', () => {
  it('sets the policy on the first push; the local ECR then refuses to move a release tag, dev-* still moves, and the sweep repairs drift', async () => {
    // Prepare: a new, MUTABLE repository; its first pushes reach the tag-policy worker.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }));
    const host = new URL(stack.urls.registry).host;
    const before = await mutability();
    await pushOciLayout(layoutDir, 'a', host, REPOSITORY, '1.0.0');
    await pushOciLayout(layoutDir, 'a', host, REPOSITORY, 'dev-main');
    await stack.waitForIdle(20_000);
    const afterFirstPush = await mutability();

    // Act
    const refused = await failureOf(pushOciLayout(layoutDir, 'b', host, REPOSITORY, '1.0.0'));
    await pushOciLayout(layoutDir, 'b', host, REPOSITORY, 'dev-main');
    await stack.waitForIdle(20_000);
    // Drift: somebody makes the repository MUTABLE by hand; a sweep (as the schedule or `{"kind":"reconcile"}` starts it) puts it back.
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: REPOSITORY, imageTagMutability: 'MUTABLE' }));
    const drifted = await mutability();
    const queue = queueNames(stack.topology.bus.name, 'tag-policy').queue;
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrl(queue, stack.urls.aws), MessageBody: JSON.stringify({ kind: 'reconcile' }) }));
    await stack.waitForIdle(20_000);

    // Assess
    expect(before.imageTagMutability).toBe('MUTABLE');
    expect(afterFirstPush).toEqual(RELEASES);
    expect(refused).toContain("The image tag '1.0.0' already exists");
    expect(await tagsInEcr()).toEqual({ '1.0.0': imageA.manifestDigest, 'dev-main': imageB.manifestDigest });
    expect(drifted.imageTagMutability).toBe('MUTABLE');
    expect(await mutability()).toEqual(RELEASES);
  });
});
