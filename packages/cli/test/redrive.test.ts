import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startAwsEndpoint, type RunningAwsEndpoint } from '@dockmaster/local/aws-endpoint';
import { writeState } from '@dockmaster/local/control';
import { LocalSqs } from '@dockmaster/local/sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRedriveCommand } from '../src/commands/redrive.js';
import { UsageError } from '../src/errors.js';
import { captureIo } from './support/cli.js';

/*
 * `dockmaster redrive` against real local SQS queues (the local stack's SQS on its AWS endpoint): the local
 * stack found through its state file, and "AWS" through AWS_ENDPOINT_URL, as the SDK resolves it.
 */

const SOURCE = 'dockmaster-local-cache-repository';
const DLQ = `${SOURCE}-dlq`;
let endpoint: RunningAwsEndpoint;
let sqs: SQSClient;
let stateDir: string;
let sourceUrl: string;
let dlqUrl: string;


const redrive = async (args: string[]) => {
  const { io, out, err } = captureIo();
  const code = await createRedriveCommand({ stateDir: () => stateDir }).run(args, io);
  return { code, out, err };
};

/** A dead letter as a worker sends it: the original body plus the failure attributes. */
const deadLetter = (body: string, reason: string, extra: Record<string, string> = {}) =>
  sqs.send(
    new SendMessageCommand({
      QueueUrl: dlqUrl,
      MessageBody: body,
      MessageAttributes: {
        DockmasterFailureReason: { DataType: 'String', StringValue: reason },
        DockmasterErrorCode: { DataType: 'String', StringValue: 'AccessDeniedException' },
        DockmasterAutomation: { DataType: 'String', StringValue: 'cache-repository' },
        DockmasterSourceMessageId: { DataType: 'String', StringValue: 'source-1' },
        DockmasterFailedAt: { DataType: 'String', StringValue: '2026-03-04T05:06:07.000Z' },
        ...Object.fromEntries(Object.entries(extra).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
      },
    }),
  );

const receiveAll = async (queueUrl: string) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ['All'] }))).Messages ?? [];

const event = (index: number) => JSON.stringify({ id: `event-${index}`, source: 'aws.ecr', 'detail-type': 'AWS Service Event via CloudTrail', detail: { repository: `k8s/image-${index}` } });

beforeEach(async () => {
  const local = new LocalSqs({
    accountId: '111122223333',
    queues: [
      { name: DLQ },
      { name: SOURCE, maxReceiveCount: 3, deadLetterQueueName: DLQ },
    ],
  });
  const unused = { operations: {} };
  endpoint = await startAwsEndpoint({ ecr: { ...unused, downloadLayer: async () => new Response(null, { status: 404 }) }, sqs: local, ssm: unused, events: { putEvents: () => [] } });
  sqs = new SQSClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  sourceUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: SOURCE }))).QueueUrl ?? '';
  dlqUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: DLQ }))).QueueUrl ?? '';
  stateDir = mkdtempSync(path.join(tmpdir(), 'dockmaster-redrive-'));
  writeState(stateDir, {
    pid: process.pid,
    detached: false,
    startedAt: new Date().toISOString(),
    configPath: 'dockmaster.yaml',
    account: '111122223333',
    region: 'eu-central-1',
    readyMs: 1,
    urls: { registry: 'http://127.0.0.1:1', aws: endpoint.url, upstreams: {}, control: 'http://127.0.0.1:1' },
    controlToken: 'token',
  });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  sqs.destroy();
  await endpoint.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('dockmaster redrive on the local stack', () => {
  it('moves every dead letter back to the source queue without the failure attributes, then deletes it', async () => {
    // Prepare
    for (const index of [1, 2, 3]) await deadLetter(event(index), `AccessDeniedException: denied ${index}`, index === 1 ? { origin: 'fan-out' } : {});

    // Act
    const result = await redrive(['--queue', 'cache-repository']);

    // Assess
    const moved = await receiveAll(sourceUrl);
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(`redriving cache-repository in the local stack (${endpoint.url}): ${DLQ} -> ${SOURCE}`);
    expect(result.out.at(-1)).toBe(`moved 3, failed 0, remaining 0 in ${DLQ}`);
    expect(moved.map((message) => message.Body).sort()).toEqual([event(1), event(2), event(3)]);
    expect(moved.flatMap((message) => Object.keys(message.MessageAttributes ?? {}))).toEqual(['origin']);
    expect(await receiveAll(dlqUrl)).toEqual([]);
  });

  it('lists what would move with --dry-run (id, reason, first 80 characters of the body) and moves nothing', async () => {
    // Prepare
    const sent = await deadLetter(event(1), 'AccessDeniedException: not authorized to perform: ecr:SetRepositoryPolicy');
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: event(2) }));

    // Act
    const result = await redrive(['--queue', 'cache-repository', '--dry-run']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.out).toContain(`would move ${sent.MessageId}  AccessDeniedException: not authorized to perform: ecr:SetRepositoryPolicy  ${event(1).slice(0, 80)}…`);
    expect(result.out.some((line) => line.includes('(no reason attribute: moved by SQS after maxReceiveCount; see the worker log)'))).toBe(true);
    expect(result.out.at(-1)).toBe(`dry run: would move 2, moved 0, remaining 2 in ${DLQ}`);
    expect(await receiveAll(sourceUrl)).toEqual([]);
    expect(await receiveAll(dlqUrl)).toHaveLength(2);
  });

  it('previews a body on one line with no control characters for the terminal', async () => {
    // Prepare: a C1 control sequence introducer (U+009B) is valid in an SQS body and starts a terminal escape
    await deadLetter('{"note":"a\u009b2J\nb"}', 'UPSTREAM: failed');

    // Act
    const result = await redrive(['--queue', 'cache-repository', '--dry-run']);

    // Assess
    const line = result.out.find((candidate) => candidate.startsWith('would move'));
    expect(line).toMatch(/ \{"note":"a 2J b"\}$/);
  });

  it('moves at most --max messages', async () => {
    // Prepare
    for (const index of [1, 2, 3]) await deadLetter(event(index), `denied ${index}`);

    // Act
    const result = await redrive(['--queue', 'cache-repository', '--max', '2']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.out.at(-1)).toBe(`moved 2, failed 0, remaining 1 in ${DLQ}`);
    expect(await receiveAll(sourceUrl)).toHaveLength(2);
  });
});

describe('dockmaster redrive on AWS queues', () => {
  it('finds the queues of a stage by name and the source through ListDeadLetterSourceQueues', async () => {
    // Prepare: the SDK reaches "AWS" through AWS_ENDPOINT_URL, as it would reach a VPC endpoint.
    vi.stubEnv('AWS_ENDPOINT_URL', endpoint.url);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    await deadLetter(event(1), 'denied');

    // Act
    const result = await redrive(['--queue', 'cache-repository', '--stage', 'local', '--region', 'eu-central-1']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(`redriving cache-repository in AWS (eu-central-1), stage local: ${DLQ} -> ${SOURCE}`);
    expect(await receiveAll(sourceUrl)).toHaveLength(1);
  });

  it('exits 1 and keeps the messages in the DLQ when sending them back fails', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL', endpoint.url);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    await deadLetter(event(1), 'denied 1');
    await deadLetter(event(2), 'denied 2');

    // Act
    const result = await redrive(['--queue', 'cache-repository', '--region', 'eu-central-1', '--dlq-url', dlqUrl, '--source-url', `${endpoint.url}/111122223333/deleted-queue`]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(2);
    expect(result.err[0]).toContain('sending to deleted-queue failed (QueueDoesNotExist');
    expect(result.out.at(-1)).toBe(`moved 0, failed 2, remaining 2 in ${DLQ}`);
    expect(await receiveAll(dlqUrl)).toHaveLength(2);
  });
});

describe('usage errors (exit 2)', () => {
  it.each([
    [[], '--queue <automation> is required'],
    [['--queue', 'tagpolicy'], '--queue tagpolicy: not an automation; use one of tag-policy, cache-repository, prepopulate, scan-alert, replication'],
    [['--queue', 'tag-policy', '--max', '0'], '--max 0: give a whole number of messages, 1 or more'],
    [['--queue', 'tag-policy', '--source-url', 'https://sqs.eu-central-1.amazonaws.com/1/q'], '--source-url goes with --dlq-url'],
    [['--queue', 'tag-policy', '--dlq-url', 'not a url'], '--dlq-url not a url: not a URL'],
    [['--queue', 'tag-policy', '--force'], "Unknown option '--force'"],
  ])('refuses %j', async (args, message) => {
    // Act
    const run = redrive(args);

    // Assess
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('says how to start a stack or target AWS when no local stack is running', async () => {
    // Prepare
    rmSync(stateDir, { recursive: true, force: true });

    // Act
    const run = redrive(['--queue', 'cache-repository']);

    // Assess
    await expect(run).rejects.toThrow(/no local stack is running .* `dockmaster local up --detach`, or redrive on AWS with --stage <stage>/);
  });

  it('names the missing queue when the automation has none in the local stack', async () => {
    // Act
    const run = redrive(['--queue', 'tag-policy']);

    // Assess
    await expect(run).rejects.toThrow('there is no queue dockmaster-local-tag-policy-dlq in the local stack');
  });
});
