import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { startDistribution } from '@dockmaster/registry/testing';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { ManualClock } from '../aws-endpoint/clock.js';
import { startAwsEndpoint } from '../aws-endpoint/server.js';
import type { RunningAwsEndpoint } from '../aws-endpoint/server.js';
import { ecrService } from './ecr-operations.js';
import { LocalEcr } from './local-ecr.js';
import type { ImageAction } from './local-ecr.js';

/**
 * Test fixture of the local ECR's per-resource tests (repositories.test.ts, images.test.ts, ...): one real
 * Distribution registry per test file, and per test a fresh LocalEcr behind the AWS endpoint with a real SDK
 * client, a manual clock and the image actions it reported.
 */

const REGISTRY_FRONT_URL = 'http://127.0.0.1:5999';

interface LocalEcrFixture {
  distribution: RunningDistribution;
  endpoint: RunningAwsEndpoint;
  ecr: LocalEcr;
  client: ECRClient;
  clock: ManualClock;
  actions: ImageAction[];
  /** Each test gets its own repository, so tests share one registry without seeing each other's images. */
  freshRepository: (settings?: { imageTagMutability?: 'MUTABLE' | 'IMMUTABLE' }) => Promise<string>;
}

/** Registers the hooks; `use` gets each test's fixture before the test runs. */
function useLocalEcr(use: (fixture: LocalEcrFixture) => void): void {
  let distribution: RunningDistribution;
  let endpoint: RunningAwsEndpoint;
  let client: ECRClient;
  let repositoryCounter = 0;

  const freshRepository = async (settings: { imageTagMutability?: 'MUTABLE' | 'IMMUTABLE' } = {}): Promise<string> => {
    repositoryCounter += 1;
    const name = `team/app-${repositoryCounter}`;
    await client.send(new CreateRepositoryCommand({ repositoryName: name, ...settings }));
    return name;
  };

  beforeAll(async () => {
    distribution = await startDistribution({ name: 'local-ecr-test' });
  });

  afterAll(async () => {
    await distribution.stop();
  });

  beforeEach(async () => {
    const clock = new ManualClock();
    const actions: ImageAction[] = [];
    const ecr = new LocalEcr({
      distribution,
      registryFrontUrl: REGISTRY_FRONT_URL,
      accountId: '123456789012',
      clock,
      pullThroughCacheRules: [
        { ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', upstreamRegistry: 'docker-hub', credentialArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ecr-pullthroughcache/hub' },
        { ecrRepositoryPrefix: 'k8s', upstreamRegistryUrl: 'registry.k8s.io', upstreamRegistry: 'k8s' },
      ],
    });
    ecr.onImageAction((action) => {
      actions.push(action);
    });
    endpoint = await startAwsEndpoint({ ecr: ecrService(ecr), sqs: { operations: {} }, ssm: { operations: {} }, events: { putEvents: () => [] } });
    client = new ECRClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    use({ distribution, endpoint, ecr, client, clock, actions, freshRepository });
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.stop();
  });
}

export { REGISTRY_FRONT_URL, useLocalEcr };
export type { LocalEcrFixture };
