import { DescribeRepositoriesCommand, ECRClient, GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { SWEEP_READS_PER_SECOND } from '@dockmaster/functions/cache-repository';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AwsServiceError } from './aws-service-error.js';
import { ManualClock } from './clock.js';
import { startAwsEndpoint } from './server.js';
import type { RunningAwsEndpoint } from './server.js';
import { operation } from './service.js';
import { ECR_ACTION_RATES, RequestThrottle, TokenBucket } from './throttle.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('TokenBucket', () => {
  it('admits a full bucket at once, then refills at the rate', () => {
    // Prepare
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, 10, clock);

    // Act
    const first = Array.from({ length: 11 }, () => bucket.tryTake());
    clock.advance(100);
    const afterOneTenth = [bucket.tryTake(), bucket.tryTake()];
    clock.advance(10_000);
    const afterLongPause = Array.from({ length: 11 }, () => bucket.tryTake());

    // Assess: 10 at once, the 11th refused; one token per 100 ms; never more than the capacity saved up.
    expect(first.filter(Boolean)).toHaveLength(10);
    expect(first[10]).toBe(false);
    expect(afterOneTenth).toEqual([true, false]);
    expect(afterLongPause.filter(Boolean)).toHaveLength(10);
  });
});

describe('RequestThrottle', () => {
  it('keeps one bucket per action and never throttles actions without a rate', () => {
    // Prepare
    const clock = new ManualClock();
    const throttle = new RequestThrottle({ clock, rates: { GetRepositoryPolicy: { perSecond: 2, source: 'guess' }, PutImage: { perSecond: 1, source: 'documented' } } });

    // Act
    const outcomes = ['GetRepositoryPolicy', 'GetRepositoryPolicy', 'GetRepositoryPolicy', 'PutImage', 'PutImage', 'ListImages', 'ListImages', 'ListImages'].map((action) => {
      try {
        throttle.admit(action);
        return 'ok';
      } catch (error) {
        return (error as AwsServiceError).code;
      }
    });

    // Assess
    expect(outcomes).toEqual(['ok', 'ok', 'ThrottlingException', 'ok', 'ThrottlingException', 'ok', 'ok', 'ok']);
    expect(throttle.stats()).toEqual({
      GetRepositoryPolicy: { allowed: 2, throttled: 1 },
      ListImages: { allowed: 3, throttled: 0 },
      PutImage: { allowed: 1, throttled: 1 },
    });
  });

  it('throttles with ECR’s error: HTTP 400, ThrottlingException, Rate exceeded', () => {
    // Prepare
    const throttle = new RequestThrottle({ clock: new ManualClock(), rates: { PutImage: { perSecond: 1, source: 'documented' } } });
    throttle.admit('PutImage');

    // Act
    let error: unknown;
    try {
      throttle.admit('PutImage');
    } catch (thrown) {
      error = thrown;
    }

    // Assess
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({ code: 'ThrottlingException', statusCode: 400, message: 'Rate exceeded' });
  });

  it('declares the documented rates of ECR’s quota page and marks every other one as a guess', () => {
    // Assess: the documented ones as the page lists them; PutImage is the notable low one.
    expect(ECR_ACTION_RATES.PutImage).toEqual({ perSecond: 10, source: 'documented' });
    expect(ECR_ACTION_RATES.BatchGetImage).toEqual({ perSecond: 2_000, source: 'documented' });
    expect(ECR_ACTION_RATES.GetRepositoryPolicy.source).toBe('guess');
    expect(ECR_ACTION_RATES.DescribeRepositories.source).toBe('guess');
  });

  it('leaves the sweep’s pace below the rates of the actions it reads with', () => {
    // Assess: a sweep paced at or above the quota would be throttled on every request beyond the bucket.
    expect(SWEEP_READS_PER_SECOND).toBeLessThan(ECR_ACTION_RATES.GetRepositoryPolicy.perSecond);
    expect(SWEEP_READS_PER_SECOND).toBeLessThan(ECR_ACTION_RATES.GetLifecyclePolicy.perSecond);
  });
});

describe('the endpoint with a throttle', () => {
  let endpoint: RunningAwsEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.stop();
    endpoint = undefined;
  });

  const start = async (throttle: RequestThrottle | undefined): Promise<{ calls: string[] }> => {
    const calls: string[] = [];
    const schema = z.object({ repositoryName: z.string().optional(), repositoryNames: z.array(z.string()).optional() });
    const invalid = (message: string) => new AwsServiceError('InvalidParameterException', message);
    endpoint = await startAwsEndpoint({
      ecr: {
        downloadLayer: async () => new Response(null, { status: 404 }),
        operations: {
          DescribeRepositories: operation(schema, invalid, () => {
            calls.push('DescribeRepositories');
            return { repositories: [] };
          }),
          GetRepositoryPolicy: operation(schema, invalid, (input) => {
            calls.push('GetRepositoryPolicy');
            return { repositoryName: input.repositoryName, policyText: '{}' };
          }),
        },
      },
      sqs: { operations: {} },
      ssm: { operations: {} },
      events: { putEvents: () => [] },
      ...(throttle === undefined ? {} : { throttle }),
    });
    return { calls };
  };

  it('answers past the rate with the error the SDK classifies as throttling, and retries it', async () => {
    // Prepare: one GetRepositoryPolicy a second; the clock stands still, so no token comes back.
    const clock = new ManualClock();
    const { calls } = await start(new RequestThrottle({ clock, rates: { GetRepositoryPolicy: { perSecond: 1, source: 'guess' } } }));
    const client = new ECRClient({ endpoint: endpoint!.url, region: 'eu-central-1', credentials, maxAttempts: 2, retryMode: 'standard' });

    // Act
    const first = await client.send(new GetRepositoryPolicyCommand({ repositoryName: 'a' }));
    const error = await client.send(new GetRepositoryPolicyCommand({ repositoryName: 'a' })).catch((thrown: unknown) => thrown);
    const other = await client.send(new DescribeRepositoriesCommand({}));
    client.destroy();

    // Assess: the SDK names the error, saw HTTP 400, and retried it (a throttling error is retryable) before giving up.
    expect(first.policyText).toBe('{}');
    expect(error).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 2 } });
    expect(other.repositories).toEqual([]);
    expect(calls).toEqual(['GetRepositoryPolicy', 'DescribeRepositories']);
  });

  it('lets a client that backs off finish once tokens come back', async () => {
    // Prepare: the real clock, 50 requests a second, 60 requests at once from a client with enough attempts.
    const { calls } = await start(new RequestThrottle({ rates: { GetRepositoryPolicy: { perSecond: 50, source: 'guess' } } }));
    const client = new ECRClient({ endpoint: endpoint!.url, region: 'eu-central-1', credentials, maxAttempts: 10, retryMode: 'standard' });

    // Act
    const results = await Promise.all(Array.from({ length: 60 }, () => client.send(new GetRepositoryPolicyCommand({ repositoryName: 'a' }))));
    client.destroy();

    // Assess
    expect(results.every((result) => result.policyText === '{}')).toBe(true);
    expect(calls).toHaveLength(60);
  });

  it('does not throttle without a throttle', async () => {
    // Prepare
    const { calls } = await start(undefined);
    const client = new ECRClient({ endpoint: endpoint!.url, region: 'eu-central-1', credentials, maxAttempts: 1 });

    // Act
    await Promise.all(Array.from({ length: 300 }, () => client.send(new GetRepositoryPolicyCommand({ repositoryName: 'a' }))));
    client.destroy();

    // Assess
    expect(calls).toHaveLength(300);
  });
});
