import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { AwsServiceError } from './aws-service-error.js';
import { startAwsEndpoint } from './server.js';
import type { RunningAwsEndpoint } from './server.js';
import { operation } from './service.js';
import { errorOf } from '../shared/error-of.testing.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let endpoint: RunningAwsEndpoint;

async function errorType(response: Response): Promise<unknown> {
  return ((await response.json()) as { __type?: string }).__type;
}
let published: PutEventsRequestEntry[];

beforeEach(async () => {
  published = [];
  const fakeEcr = {
    downloadLayer: async () => new Response('layer-bytes', { status: 200, headers: { 'content-type': 'application/octet-stream' } }),
    operations: {
      DescribeRepositories: operation(z.object({ repositoryNames: z.array(z.string()).optional() }), (message) => new AwsServiceError('InvalidParameterException', message), (input) => {
        if (input.repositoryNames?.includes('missing')) throw new AwsServiceError('RepositoryNotFoundException', "The repository with name 'missing' does not exist");
        if (input.repositoryNames?.includes('crash')) throw new Error('bug in the local stack');
        return { repositories: [{ repositoryName: 'a', createdAt: new Date('2026-01-02T03:04:05.500Z') }] };
      }),
    },
  };
  endpoint = await startAwsEndpoint({
    ecr: fakeEcr,
    sqs: { operations: {} },
    ssm: { operations: {} },
    events: {
      putEvents: (entries) => {
        published.push(...entries);
        return entries.map((entry, index) => (entry.Source === 'forbidden' ? { ErrorCode: 'AccessDeniedException', ErrorMessage: 'not allowed' } : { EventId: `event-${index}` }));
      },
    },
  });
});

afterEach(async () => {
  await endpoint.stop();
});

describe('AWS JSON protocol', () => {
  it('answers SDK calls with epoch-second dates the SDK turns back into Dates', async () => {
    // Prepare
    const client = new ECRClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials });

    // Act
    const result = await client.send(new DescribeRepositoriesCommand({}));

    // Assess
    expect(result.repositories?.[0]?.createdAt).toEqual(new Date('2026-01-02T03:04:05.500Z'));
  });

  it('returns service errors as HTTP 400 with __type and x-amzn-ErrorType, so the SDK throws the named exception', async () => {
    // Prepare
    const client = new ECRClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials });

    // Act
    const sdkError = await errorOf(client.send(new DescribeRepositoriesCommand({ repositoryNames: ['missing'] })));
    const raw = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ repositoryNames: ['missing'] }),
    });

    // Assess
    expect(sdkError.name).toBe('RepositoryNotFoundException');
    expect(sdkError.message).toBe("The repository with name 'missing' does not exist");
    expect(sdkError.$metadata.httpStatusCode).toBe(400);
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toBe('RepositoryNotFoundException');
    expect(await raw.json()).toEqual({ __type: 'RepositoryNotFoundException', message: "The repository with name 'missing' does not exist" });
  });

  it('answers unknown operations with UnknownOperationException and a local bug with a 500 InternalFailure', async () => {
    // Act
    const unknown = await fetch(endpoint.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.StartImageScan' }, body: '{}' });
    const noTarget = await fetch(endpoint.url, { method: 'POST', body: '{}' });
    const badJson = await fetch(endpoint.url, { method: 'POST', headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories' }, body: '{' });
    const client = new ECRClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials, maxAttempts: 1 });
    // The endpoint logs its own bug for the developer: captured here, where the bug is on purpose.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let crash;
    let loggedCalls;
    try {
      crash = await errorOf(client.send(new DescribeRepositoriesCommand({ repositoryNames: ['crash'] })));
    } finally {
      loggedCalls = [...logged.mock.calls];
      logged.mockRestore();
    }

    // Assess
    expect(unknown.status).toBe(400);
    expect(await errorType(unknown)).toBe('UnknownOperationException');
    expect(await errorType(noTarget)).toBe('UnknownOperationException');
    expect(await errorType(badJson)).toBe('SerializationException');
    expect(crash.$metadata.httpStatusCode).toBe(500);
    expect(loggedCalls).toEqual([['[local aws endpoint] AmazonEC2ContainerRegistry_V20150921.DescribeRepositories failed:', new Error('bug in the local stack')]]);
  });

  it('publishes PutEvents entries to the local bus with Dates and counts failed entries', async () => {
    // Prepare
    const client = new EventBridgeClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials });

    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'dockmaster', DetailType: 'Scan Alert', Detail: '{"severity":"CRITICAL"}', EventBusName: 'dockmaster', Time: new Date('2026-03-01T00:00:00Z') },
          { Source: 'forbidden', DetailType: 'x', Detail: '{}' },
        ],
      }),
    );
    const tooMany = await errorOf(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })) })));

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries).toEqual([{ EventId: 'event-0' }, { ErrorCode: 'AccessDeniedException', ErrorMessage: 'not allowed' }]);
    expect(published[0]).toEqual({ Source: 'dockmaster', DetailType: 'Scan Alert', Detail: '{"severity":"CRITICAL"}', EventBusName: 'dockmaster', Time: new Date('2026-03-01T00:00:00Z') });
    expect(tooMany.name).toBe('ValidationException');
  });

  it('serves layer downloads from the ECR service on GET /_layers/', async () => {
    // Act
    const response = await fetch(`${endpoint.url}/_layers/team/app/sha256:abc?expires=1&sig=x`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('layer-bytes');
  });
});
