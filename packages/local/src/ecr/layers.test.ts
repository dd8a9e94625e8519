import { createHash } from 'node:crypto';
import {
  BatchCheckLayerAvailabilityCommand,
  DescribePullThroughCacheRulesCommand,
  GetAuthorizationTokenCommand,
  GetDownloadUrlForLayerCommand,
} from '@aws-sdk/client-ecr';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../aws-endpoint/clock.js';
import type { RunningAwsEndpoint } from '../aws-endpoint/server.js';
import { errorOf } from '../shared/error-of.testing.js';
import type { LocalEcr } from './local-ecr.js';
import { REGISTRY_FRONT_URL, useLocalEcr } from './local-ecr.testing.js';
import type { LocalEcrFixture } from './local-ecr.testing.js';
import { pushTestImage } from './test-images.js';

// Layers, authorization tokens and pull-through cache rules (layers.ts, authorization.ts, pull-through-cache-rules.ts) through the AWS endpoint.

let distribution: RunningDistribution;
let endpoint: RunningAwsEndpoint;
let ecr: LocalEcr;
let client: ECRClient;
let clock: ManualClock;
let freshRepository: LocalEcrFixture['freshRepository'];

useLocalEcr((fixture) => ({ distribution, endpoint, ecr, client, clock, freshRepository } = fixture));

describe('layers, authorization and pull-through cache rules', () => {
  it('checks layer availability and hands out a download URL that streams the blob without credentials until it expires', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'layers', tag: 'v1' });
    const layerDigest = image.layerDigests[0] ?? '';
    const absent = `sha256:${'0'.repeat(64)}`;

    // Act
    const availability = await client.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: repository, layerDigests: [layerDigest, absent] }));
    const { downloadUrl } = await client.send(new GetDownloadUrlForLayerCommand({ repositoryName: repository, layerDigest }));
    const download = await fetch(downloadUrl ?? '');
    const bytes = Buffer.from(await download.arrayBuffer());
    const tampered = await fetch((downloadUrl ?? '').replace(/sig=[^&]+/, 'sig=forged'));
    clock.advance(2 * 60 * 60 * 1000);
    const expired = await fetch(downloadUrl ?? '');
    const missingLayer = await errorOf(client.send(new GetDownloadUrlForLayerCommand({ repositoryName: repository, layerDigest: absent })));

    // Assess
    expect(availability.layers).toEqual([{ layerDigest, layerAvailability: 'AVAILABLE', layerSize: image.layerSizes[0], mediaType: 'application/octet-stream' }]);
    expect(availability.failures?.[0]).toMatchObject({ layerDigest: absent, failureCode: 'MissingLayerDigest' });
    expect(downloadUrl?.startsWith(`${endpoint.url}/_layers/${repository}/${layerDigest}?`)).toBe(true);
    expect(download.status).toBe(200);
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(layerDigest);
    expect(tampered.status).toBe(403);
    expect(expired.status).toBe(403);
    expect(missingLayer.name).toBe('LayersNotFoundException');
  });

  it('issues a 12-hour AWS:<token> for the registry front that verifyAuthorizationToken accepts until it expires', async () => {
    // Act
    const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
    const data = authorizationData?.[0];
    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    const validNow = ecr.verifyAuthorizationToken(`Basic ${data?.authorizationToken}`);
    const forged = ecr.verifyAuthorizationToken(`Basic ${Buffer.from('AWS:123.forged').toString('base64')}`);
    clock.advance(12 * 60 * 60 * 1000 + 1);
    const validLater = ecr.verifyAuthorizationToken(`Basic ${data?.authorizationToken}`);

    // Assess
    expect(decoded.startsWith('AWS:')).toBe(true);
    expect(data?.proxyEndpoint).toBe(REGISTRY_FRONT_URL);
    expect(data?.expiresAt?.getTime()).toBe(clock.now() - 1);
    expect(validNow).toBe(true);
    expect(forged).toBe(false);
    expect(validLater).toBe(false);
  });

  it('describes the declared pull-through cache rules, filtered by prefix', async () => {
    // Act
    const all = await client.send(new DescribePullThroughCacheRulesCommand({}));
    const one = await client.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['k8s'] }));
    const missing = await errorOf(client.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['quay'] })));

    // Assess
    expect(all.pullThroughCacheRules?.map((rule) => rule.ecrRepositoryPrefix)).toEqual(['docker-hub', 'k8s']);
    expect(all.pullThroughCacheRules?.[0]).toMatchObject({ upstreamRegistryUrl: 'registry-1.docker.io', registryId: '123456789012', credentialArn: expect.stringContaining('ecr-pullthroughcache/') });
    expect(one.pullThroughCacheRules).toHaveLength(1);
    expect(missing.name).toBe('PullThroughCacheRuleNotFoundException');
  });
});
