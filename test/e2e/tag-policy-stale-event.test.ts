import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { queueNames } from '@dockmaster/core/topology';
import type { BusDelivery } from '@dockmaster/local/bus';
import { COMPLIANT_LABELS, pushOciLayout } from '@dockmaster/local/demo';
import { startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { buildImage, writeOciLayout } from '@dockmaster/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Issue 10, item 1, on the local stack: an enforce policy that requires labels must never remove a tag that by
 * now names another image. Image A (no labels) is kept under an exempt tag; image B (labelled) is pushed as
 * 2.0.0; then a push event for 2.0.0 carrying A's digest arrives late, put on the tag-policy queue the way
 * `dockmaster redrive` puts a dead-lettered event back. Before the fix the worker judged A, removed "2.0.0"
 * by tag alone, and B (which had no other tag) was deleted.
 */

const CONFIG = new URL('../../docs/examples/dockmaster.example.yaml', import.meta.url);
// prod/** is the example's enforce policy "production-services"; hotfix-* is its exemption (until 2027-01-31).
const REPOSITORY = 'prod/payments/stale';
const EXEMPT_TAG = 'hotfix-7';
const RELEASE_TAG = '2.0.0';

let stack: LocalStack;
let ecr: ECRClient;
let sqs: SQSClient;
let layoutDir: string;
let stateDir: string;
const deliveries: BusDelivery[] = [];

const imageA = buildImage({ repositoryHint: REPOSITORY, layers: [{ seed: 'stale-event-image-a', size: 8 * 1024 }] });
const imageB = buildImage({ repositoryHint: REPOSITORY, labels: { ...COMPLIANT_LABELS }, layers: [{ seed: 'stale-event-image-b', size: 8 * 1024 }] });

/** Tag -> digest, as ECR lists the repository. */
const tagsInEcr = async (): Promise<Record<string, string>> => {
  const described = await ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY }));
  return Object.fromEntries((described.imageDetails ?? []).flatMap((detail) => (detail.imageTags ?? []).map((tag) => [tag, detail.imageDigest ?? ''])));
};

const violations = () =>
  deliveries.filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] === DockmasterEventType.TagPolicyViolation);

const deletions = () =>
  deliveries.filter((delivery) => delivery.event['detail-type'] === 'ECR Image Action' && (delivery.event.detail as { 'action-type'?: string })['action-type'] === 'DELETE');

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-stale-'));
  stack = await startLocalStack({ configPath: CONFIG.pathname, stateDir });
  stack.bus.onDelivery((delivery) => void deliveries.push(delivery));
  const endpoint = { endpoint: stack.urls.aws, region: stack.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } };
  ecr = new ECRClient(endpoint);
  sqs = new SQSClient(endpoint);
  layoutDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-stale-layout-'));
  await writeOciLayout(layoutDir, { a: imageA, b: imageB });
});

afterAll(async () => {
  ecr?.destroy();
  sqs?.destroy();
  await stack?.stop();
  await rm(stateDir, { recursive: true, force: true });
  if (layoutDir !== undefined) await rm(layoutDir, { recursive: true, force: true });
});

describe('local stack: a stale push event in enforce mode', () => {
  it('leaves a tag that now names another image alone: no removal, no violation, both images kept', async () => {
    // Prepare: A under the exempt tag, B (compliant) as 2.0.0; both judged and kept.
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }));
    const host = new URL(stack.urls.registry).host;
    await pushOciLayout(layoutDir, 'a', host, REPOSITORY, EXEMPT_TAG);
    await pushOciLayout(layoutDir, 'b', host, REPOSITORY, RELEASE_TAG);
    await stack.waitForIdle(20_000);
    expect(await tagsInEcr()).toEqual({ [EXEMPT_TAG]: imageA.manifestDigest, [RELEASE_TAG]: imageB.manifestDigest });
    expect(violations()).toEqual([]);
    // The late event: the real push event of A, as it would have read had A been pushed as 2.0.0 before B.
    const pushOfA = deliveries.find((delivery) => delivery.bus === 'default' && (delivery.event.detail as { 'image-tag'?: string })['image-tag'] === EXEMPT_TAG);
    if (pushOfA === undefined) throw new Error(`the push of ${REPOSITORY}:${EXEMPT_TAG} was not delivered`);
    const staleEvent = { ...pushOfA.event, id: crypto.randomUUID(), detail: { ...(pushOfA.event.detail as Record<string, unknown>), 'image-tag': RELEASE_TAG, 'image-digest': imageA.manifestDigest } };
    const queueName = queueNames(stack.topology.bus.name, 'tag-policy').queue;

    const logBefore = stack.log.recent().length;

    // Act: what `dockmaster redrive --queue tag-policy` does with a dead-lettered message: send its body to the queue.
    await sqs.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrl(queueName, stack.urls.aws), MessageBody: JSON.stringify(staleEvent) }));
    await stack.waitForIdle(20_000);

    // Assess
    expect(await tagsInEcr()).toEqual({ [EXEMPT_TAG]: imageA.manifestDigest, [RELEASE_TAG]: imageB.manifestDigest });
    expect(violations()).toEqual([]);
    expect(deletions()).toEqual([]);
    // Handled, not failed: a failed record would be retried and, redriven again, could still do harm.
    const logged = stack.log.recent().slice(logBefore);
    expect(logged.filter((line) => line.includes('tag-policy:'))).toEqual([expect.stringMatching(/tag-policy: 1 record\(s\) processed in \d+ ms$/)]);
  });
});
