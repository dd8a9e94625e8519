import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startDistribution } from '@dockmaster/registry/testing';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrService } from '../ecr/ecr-operations.js';
import { LocalEcr } from '../ecr/local-ecr.js';
import { LocalSqs } from '../sqs/local-sqs.js';
import { LocalSsm } from '../ssm/local-ssm.js';
import { startAwsEndpoint } from './server.js';
import type { RunningAwsEndpoint } from './server.js';

/** The production adapters build their clients without options; only the environment points them at the local stack. */
const ENVIRONMENT_KEYS = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;
let saved: Partial<Record<(typeof ENVIRONMENT_KEYS)[number], string | undefined>>;
let distribution: RunningDistribution;
let endpoint: RunningAwsEndpoint;

beforeAll(async () => {
  distribution = await startDistribution({ name: 'environment-only' });
  const ecr = new LocalEcr({ distribution, registryFrontUrl: 'http://127.0.0.1:5999' });
  endpoint = await startAwsEndpoint({
    ecr: ecrService(ecr),
    sqs: new LocalSqs({ queues: [{ name: 'jobs' }] }),
    ssm: new LocalSsm({ parameters: [{ name: '/dockmaster/config', value: 'version: 1' }] }),
    events: { putEvents: (entries) => entries.map((_, index) => ({ EventId: String(index) })) },
  });
  saved = Object.fromEntries(ENVIRONMENT_KEYS.map((key) => [key, process.env[key]]));
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint.url, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'eu-central-1' });
});

afterAll(async () => {
  for (const key of ENVIRONMENT_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  await endpoint.stop();
  await distribution.stop();
});

describe('clients configured only by the environment', () => {
  it('reach ECR, SQS (through the returned queue URL) and SSM on the local endpoint', async () => {
    // Prepare
    const ecr = new ECRClient({});
    const sqs = new SQSClient({});
    const ssm = new SSMClient({});

    // Act
    const token = await ecr.send(new GetAuthorizationTokenCommand({}));
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'jobs' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    const parameter = await ssm.send(new GetParameterCommand({ Name: '/dockmaster/config' }));

    // Assess
    expect(token.authorizationData?.[0]?.proxyEndpoint).toBe('http://127.0.0.1:5999');
    expect(QueueUrl).toBe(`${endpoint.url}/000000000000/jobs`);
    expect(received.Messages?.[0]?.Body).toBe('hello');
    expect(parameter.Parameter?.Value).toBe('version: 1');
  });
});
