import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeImagesCommand, ECRClient, UpdateImageStorageClassCommand } from '@aws-sdk/client-ecr';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { queueNames } from '@dockmaster/core/topology';
import type { BusDelivery } from '@dockmaster/local/bus';
import { startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { RegistryClient } from '@dockmaster/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Issue 14, item 5, on the local stack: an allow-listed image that ECR archives anyway (here by hand, with
 * UpdateImageStorageClass as a person or a foreign lifecycle policy would) is restored by the production
 * prepopulate worker, and its owner is told once. The worker gets ECR's `ECR Image Action` UPDATE_STORAGE_CLASS
 * event through the generated rule; the same event delivered again (as `dockmaster redrive` would) changes nothing.
 */

const CONFIG = new URL('../../docs/examples/dockmaster.example.yaml', import.meta.url);
// In the example's allow-list with owner platform-dns.
const REPOSITORY = 'k8s/coredns/coredns';
const TAG = 'v1.11.1';

let stack: LocalStack;
let ecr: ECRClient;
let sqs: SQSClient;
let stateDir: string;
const deliveries: BusDelivery[] = [];

const storageEvents = (target: 'ARCHIVE' | 'STANDARD') =>
  deliveries.filter(
    (delivery) =>
      delivery.bus === 'default' &&
      delivery.event['detail-type'] === 'ECR Image Action' &&
      (delivery.event.detail as Record<string, unknown>)['target-storage-class'] === target,
  );

const restoredAlerts = () => stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ArchivedImageRestored);

const statusOf = async (digest: string): Promise<string | undefined> => {
  const described = await ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageDigest: digest }], filter: { imageStatus: 'ANY' } }));
  return described.imageDetails?.[0]?.imageStatus;
};

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-archive-'));
  stack = await startLocalStack({ configPath: CONFIG.pathname, stateDir });
  stack.bus.onDelivery((delivery) => void deliveries.push(delivery));
  const endpoint = { endpoint: stack.urls.aws, region: stack.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } };
  ecr = new ECRClient(endpoint);
  sqs = new SQSClient(endpoint);
});

afterAll(async () => {
  ecr?.destroy();
  sqs?.destroy();
  await stack?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('local stack: an allow-listed image archived anyway', () => {
  it('is restored by the prepopulate worker and its owner is told once, also when the archive event comes again', async () => {
    // Prepare: the allow-list is warmed; then the image is archived and cannot be pulled.
    stack.trigger('prepopulate');
    await stack.drain(30_000);
    const warmed = await ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: TAG }] }));
    const digest = warmed.imageDetails?.[0]?.imageDigest ?? '';
    expect(digest).toMatch(/^sha256:/);
    const answer = await ecr.send(new UpdateImageStorageClassCommand({ repositoryName: REPOSITORY, imageId: { imageDigest: digest }, targetStorageClass: 'ARCHIVE' }));
    expect(answer.imageStatus).toBe('ARCHIVED');

    // Act
    await stack.waitForIdle(30_000);

    // Assess: restored (ECR's restore event is out), pullable again, the owner told.
    expect(await statusOf(digest)).toBe('ACTIVE');
    expect(storageEvents('ARCHIVE')).toHaveLength(1);
    expect(storageEvents('STANDARD')).toHaveLength(1);
    expect((storageEvents('STANDARD')[0]?.event.detail as Record<string, unknown>)['image-digest']).toBe(digest);
    const pulled = await new RegistryClient({ baseUrl: stack.urls.registry }).headManifest(REPOSITORY, TAG);
    expect(pulled?.digest).toBe(digest);
    expect(restoredAlerts()).toHaveLength(1);
    expect(restoredAlerts()[0]).toMatchObject({ team: 'platform-dns', detail: { repository: REPOSITORY, digest, tags: [TAG], imageStatus: 'ACTIVATING' } });
    expect(String((restoredAlerts()[0]?.detail['message'] as { subject?: string }).subject)).toContain(`${REPOSITORY}:${TAG}`);

    // Act again: the same archive event delivered late, under another id (what a redrive of a copy does).
    const archival = storageEvents('ARCHIVE')[0]?.event;
    if (archival === undefined) throw new Error('the archive event was not delivered');
    const queueName = queueNames(stack.topology.bus.name, 'prepopulate').queue;
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrl(queueName, stack.urls.aws), MessageBody: JSON.stringify({ ...archival, id: crypto.randomUUID() }) }));
    await stack.waitForIdle(30_000);

    // Assess: re-read, found active, left alone.
    expect(storageEvents('STANDARD')).toHaveLength(1);
    expect(restoredAlerts()).toHaveLength(1);
    expect(await statusOf(digest)).toBe('ACTIVE');
  });
});
