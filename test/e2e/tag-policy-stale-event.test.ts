import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { queueNames } from '@dockmaster/core/topology';
import { COMPLIANT_LABELS, pushOciLayout } from '@dockmaster/local/demo';
import { buildImage, writeOciLayout } from '@dockmaster/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * Issue 10, item 1, on the local stack: an enforce policy that requires labels must never remove a tag that by
 * now names another image. Image A (no labels) is kept under an exempt tag; image B (labelled) is pushed as
 * 2.0.0; then a push event for 2.0.0 carrying A's digest arrives late, put on the tag-policy queue the way
 * `dockmaster redrive` puts a dead-lettered event back. Before the fix the worker judged A, removed "2.0.0"
 * by tag alone, and B (which had no other tag) was deleted.
 */

// prod/** is the example's enforce policy "production-services"; hotfix-* is its exemption (until 2027-01-31).
const REPOSITORY = 'prod/payments/stale';
const EXEMPT_TAG = 'hotfix-7';
const RELEASE_TAG = '2.0.0';

let e2e: TestStack;
let sqs: SQSClient;
let layoutDir: string;

const imageA = buildImage({ repositoryHint: REPOSITORY, layers: [{ seed: 'stale-event-image-a', size: 8 * 1024 }] });
const imageB = buildImage({ repositoryHint: REPOSITORY, labels: { ...COMPLIANT_LABELS }, layers: [{ seed: 'stale-event-image-b', size: 8 * 1024 }] });

const violations = () =>
  e2e.deliveries.filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] === DockmasterEventType.TagPolicyViolation);

const deletions = () =>
  e2e.deliveries.filter((delivery) => delivery.event['detail-type'] === 'ECR Image Action' && (delivery.event.detail as { 'action-type'?: string })['action-type'] === 'DELETE');

beforeAll(async () => {
  e2e = await startTestStack({ prefix: 'e2e-stale' });
  sqs = new SQSClient({ ...e2e.clientConfig, endpoint: e2e.stack.urls.aws });
  layoutDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-e2e-stale-layout-'));
  await writeOciLayout(layoutDir, { a: imageA, b: imageB });
});

afterAll(async () => {
  sqs?.destroy();
  await e2e?.stop();
  if (layoutDir !== undefined) await rm(layoutDir, { recursive: true, force: true });
});

describe('local stack: a stale push event in enforce mode', () => {
  it('leaves a tag that now names another image alone: no removal, no violation, both images kept', async () => {
    // Prepare: A under the exempt tag, B (compliant) as 2.0.0; both judged and kept.
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }));
    const host = new URL(e2e.stack.urls.registry).host;
    await pushOciLayout(layoutDir, 'a', host, REPOSITORY, EXEMPT_TAG);
    await pushOciLayout(layoutDir, 'b', host, REPOSITORY, RELEASE_TAG);
    await e2e.stack.waitForIdle(20_000);
    expect(await e2e.digestsOf(REPOSITORY)).toEqual({ [EXEMPT_TAG]: imageA.manifestDigest, [RELEASE_TAG]: imageB.manifestDigest });
    expect(violations()).toEqual([]);
    // The late event: the real push event of A, as it would have read had A been pushed as 2.0.0 before B.
    const pushOfA = e2e.deliveries.find((delivery) => delivery.bus === 'default' && (delivery.event.detail as { 'image-tag'?: string })['image-tag'] === EXEMPT_TAG);
    if (pushOfA === undefined) throw new Error(`the push of ${REPOSITORY}:${EXEMPT_TAG} was not delivered`);
    const staleEvent = { ...pushOfA.event, id: crypto.randomUUID(), detail: { ...(pushOfA.event.detail as Record<string, unknown>), 'image-tag': RELEASE_TAG, 'image-digest': imageA.manifestDigest } };
    const queueName = queueNames(e2e.stack.topology.bus.name, 'tag-policy').queue;

    const logBefore = e2e.stack.log.recent().length;

    // Act: what `dockmaster redrive --queue tag-policy` does with a dead-lettered message: send its body to the queue.
    await sqs.send(new SendMessageCommand({ QueueUrl: e2e.stack.sqs.queueUrl(queueName, e2e.stack.urls.aws), MessageBody: JSON.stringify(staleEvent) }));
    await e2e.stack.waitForIdle(20_000);

    // Assess
    expect(await e2e.digestsOf(REPOSITORY)).toEqual({ [EXEMPT_TAG]: imageA.manifestDigest, [RELEASE_TAG]: imageB.manifestDigest });
    expect(violations()).toEqual([]);
    expect(deletions()).toEqual([]);
    // Handled, not failed: a failed record would be retried and, redriven again, could still do harm.
    const logged = e2e.stack.log.recent().slice(logBefore);
    expect(logged.filter((line) => line.includes('tag-policy:'))).toEqual([expect.stringMatching(/tag-policy: 1 record\(s\) processed in \d+ ms$/)]);
  });
});
