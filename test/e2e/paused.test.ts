import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, ECRClient, ListImagesCommand } from '@aws-sdk/client-ecr';
import { pushOciLayout, writeDemoImage } from '@dockmaster/local/demo';
import { queueName, startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Issue 10 item 6 on the local stack, with the production tag-policy worker: events that arrive while an
 * automation is paused are kept in its queue (sent back delayed, through the local SQS endpoint, to the queue
 * named by the record's eventSourceARN), not acknowledged and dropped. That they are processed after the resume
 * is shown in packages/functions/test/sqs-batch-handler.test.ts (the delay is SQS's longest, 15 minutes).
 */

const EXAMPLE = new URL('../../docs/examples/dockmaster.example.yaml', import.meta.url);

let stack: LocalStack;
let stateDir: string;
let ecr: ECRClient;
let image: Awaited<ReturnType<typeof writeDemoImage>>;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-paused-'));
  const configPath = path.join(stateDir, 'paused.yaml');
  await writeFile(configPath, `${await readFile(EXAMPLE, 'utf8')}\nautomations:\n  tag-policy:\n    paused: true\n`);
  stack = await startLocalStack({ configPath, stateDir });
  ecr = new ECRClient({ endpoint: stack.urls.aws, region: stack.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } });
  image = await writeDemoImage();
});

afterAll(async () => {
  ecr?.destroy();
  await stack?.stop();
  await rm(stateDir, { recursive: true, force: true });
  if (image !== undefined) await rm(image.layoutDir, { recursive: true, force: true });
});

describe('a paused automation', () => {
  it('takes no action on a push and keeps the event in its queue, delayed, with nothing in the dead-letter queue', async () => {
    // Prepare
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
    const queue = stack.sqs.queue(queueName(stack.topology, 'tag-policy'));

    // Act
    await pushOciLayout(image.layoutDir, image.ref, new URL(stack.urls.registry).host, 'prod/payments/api', 'latest');
    await stack.drain(30_000);

    // Assess
    const listed = await ecr.send(new ListImagesCommand({ repositoryName: 'prod/payments/api' }));
    expect((listed.imageIds ?? []).map((id) => id.imageTag)).toEqual(['latest']);
    expect(queue.counts()).toEqual({ visible: 0, notVisible: 0, delayed: 1 });
    expect(queue.deadLetterQueue?.counts().visible).toBe(0);
  });
});
