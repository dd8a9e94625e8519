import { DescribeRepositoriesCommand, ECRClient, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AwsServiceError } from './aws-service-error.js';
import { AwsFaultInjector } from './faults.js';
import { startAwsEndpoint } from './server.js';
import type { RunningAwsEndpoint } from './server.js';
import { operation } from './service.js';
import { errorOf } from '../shared/error-of.testing.js';

/* Injected faults against the real SDK: its standard retry mode must see what AWS sends and behave as with AWS. */

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let endpoint: RunningAwsEndpoint;
let served: string[];

const client = (maxAttempts?: number) => new ECRClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials, ...(maxAttempts === undefined ? {} : { maxAttempts }) });

beforeEach(async () => {
  served = [];
  const invalid = (message: string) => new AwsServiceError('InvalidParameterException', message);
  endpoint = await startAwsEndpoint({
    ecr: {
      downloadLayer: async () => new Response(null, { status: 404 }),
      registryId: '111122223333',
      operations: {
        DescribeRepositories: operation(z.object({}).loose(), invalid, () => {
          served.push('DescribeRepositories');
          return { repositories: [{ repositoryName: 'k8s/pause' }] };
        }),
        SetRepositoryPolicy: operation(z.object({ repositoryName: z.string(), policyText: z.string() }), invalid, (input) => {
          served.push('SetRepositoryPolicy');
          return { repositoryName: input.repositoryName, policyText: input.policyText };
        }),
      },
    },
    sqs: { operations: {} },
    ssm: { operations: {} },
    events: { putEvents: (entries) => entries.map((_, index) => ({ EventId: String(index) })) },
  });
});

afterEach(async () => {
  await endpoint.stop();
});

describe('injected faults on the local ECR endpoint', () => {
  it('answers ThrottlingException with HTTP 400 as ECR does, and the SDK retries it to success', async () => {
    // Prepare
    endpoint.injectFaults({ operation: 'DescribeRepositories', kind: 'ThrottlingException', count: 2 });
    const raw = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });

    // Act: one throttle is left for the SDK, which retries (standard mode, 3 attempts by default).
    const result = await client().send(new DescribeRepositoriesCommand({}));

    // Assess
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
    expect(result.repositories?.[0]?.repositoryName).toBe('k8s/pause');
    expect(result.$metadata.attempts).toBe(2);
    expect(served).toEqual(['DescribeRepositories']);
    expect(endpoint.faults.pending()).toEqual([]);
  });

  it('answers ServerException and InternalFailure with HTTP 500, which the SDK retries', async () => {
    // Prepare
    endpoint.injectFaults({ kind: 'ServerException', count: 1 });
    endpoint.injectFaults({ kind: 'InternalFailure', count: 1 });

    // Act
    const once = await errorOf(client(1).send(new DescribeRepositoriesCommand({})));
    const retried = await client(3).send(new DescribeRepositoriesCommand({}));

    // Assess
    expect(once.name).toBe('ServerException');
    expect(once.$metadata.httpStatusCode).toBe(500);
    expect(retried.$metadata.attempts).toBe(2);
    expect(served).toEqual(['DescribeRepositories']);
  });

  it('answers AccessDeniedException naming the operation and repository, and the SDK does not retry it', async () => {
    // Prepare
    endpoint.injectFaults({ operation: 'SetRepositoryPolicy', kind: 'AccessDeniedException', count: 100 });

    // Act
    const denied = await errorOf(client(5).send(new SetRepositoryPolicyCommand({ repositoryName: 'k8s/pause', policyText: '{}' })));
    const otherOperation = await client().send(new DescribeRepositoriesCommand({}));

    // Assess
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('is not authorized to perform: ecr:SetRepositoryPolicy on resource: arn:aws:ecr:eu-central-1:111122223333:repository/k8s/pause');
    expect(denied.$metadata.attempts).toBe(1);
    expect(otherOperation.$metadata.attempts).toBe(1);
    expect(served).toEqual(['DescribeRepositories']);
    expect(endpoint.faults.pending()).toMatchObject([{ operation: 'SetRepositoryPolicy', kind: 'AccessDeniedException', remaining: 99 }]);
  });

  it('holds a request and drops its connection for a Timeout, without running the operation; the SDK retries', async () => {
    // Prepare
    endpoint.injectFaults({ operation: 'SetRepositoryPolicy', kind: 'Timeout', count: 1, holdMs: 20 });

    // Act
    const result = await client().send(new SetRepositoryPolicyCommand({ repositoryName: 'k8s/pause', policyText: '{"Version":"2012-10-17"}' }));

    // Assess
    expect(result.$metadata.attempts).toBe(2);
    expect(served).toEqual(['SetRepositoryPolicy']);
  });

  it('refuses unbounded or malformed faults', () => {
    // Prepare
    const injector = new AwsFaultInjector();

    // Act
    const attempts = [
      () => injector.inject({ kind: 'ThrottlingException', count: 0 }),
      () => injector.inject({ kind: 'ThrottlingException', count: 10_001 }),
      () => injector.inject({ kind: 'Timeout', count: 1, holdMs: 60_000 }),
      () => injector.inject({ kind: 'Explode' as 'Timeout', count: 1 }),
    ];

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow();
    expect(injector.pending()).toEqual([]);
  });

  it('clears what is pending', () => {
    // Prepare
    endpoint.injectFaults({ kind: 'ThrottlingException', count: 3 });
    endpoint.injectFaults({ kind: 'AccessDeniedException', count: 3 });

    // Act
    const cleared = endpoint.faults.clear();

    // Assess
    expect(cleared).toBe(2);
    expect(endpoint.faults.pending()).toEqual([]);
  });
});
