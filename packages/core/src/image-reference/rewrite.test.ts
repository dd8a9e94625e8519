import { describe, expect, it } from 'vitest';
import { configWithCaches, exampleConfig } from '../cache-repository/example-config.fixture.js';
import { ecrRegistryHost } from './registry-host.js';
import { rewriteImageReference } from './rewrite.js';

const HOST = '111122223333.dkr.ecr.eu-central-1.amazonaws.com';
const DIGEST = `sha256:${'b'.repeat(64)}`;
const SECRET = (name: string): string => `arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/${name}-AbCdEf`;

/** The example's k8s prefix plus Docker Hub (written as docker.io), Quay and GHCR. */
const config = configWithCaches([
  { prefix: 'k8s', upstream: 'registry.k8s.io' },
  { prefix: 'docker-hub', upstream: 'docker.io', credentialArn: SECRET('docker-hub') },
  { prefix: 'quay', upstream: 'quay.io' },
  { prefix: 'ghcr', upstream: 'ghcr.io', credentialArn: SECRET('ghcr') },
]);

describe('rewriteImageReference', () => {
  it.each([
    ['registry.k8s.io/pause:3.10', `${HOST}/k8s/pause:3.10`],
    ['registry.k8s.io/metrics-server/metrics-server:v0.7.2', `${HOST}/k8s/metrics-server/metrics-server:v0.7.2`],
    ['registry.k8s.io/pause', `${HOST}/k8s/pause:latest`],
    [`registry.k8s.io/pause@${DIGEST}`, `${HOST}/k8s/pause@${DIGEST}`],
    [`registry.k8s.io/pause:3.10@${DIGEST}`, `${HOST}/k8s/pause:3.10@${DIGEST}`],
    ['nginx:1.27', `${HOST}/docker-hub/library/nginx:1.27`],
    ['nginx', `${HOST}/docker-hub/library/nginx:latest`],
    ['docker.io/nginx:1.27', `${HOST}/docker-hub/library/nginx:1.27`],
    ['index.docker.io/library/nginx:1.27', `${HOST}/docker-hub/library/nginx:1.27`],
    ['registry-1.docker.io/library/nginx:1.27', `${HOST}/docker-hub/library/nginx:1.27`],
    ['bitnami/redis:7.4', `${HOST}/docker-hub/bitnami/redis:7.4`],
    ['quay.io/prometheus/node-exporter:v1.8.2', `${HOST}/quay/prometheus/node-exporter:v1.8.2`],
    ['GHCR.IO/acme/app:v1', `${HOST}/ghcr/acme/app:v1`],
  ])('%s -> %s', (input, output) => {
    // Act
    const result = rewriteImageReference(config, input);

    // Assess
    expect(result).toEqual({ outcome: 'rewritten', input, output });
  });

  it('prints a reference already in the account registry unchanged, as given', () => {
    // Prepare
    const input = `${HOST}/k8s/pause:3.10`;

    // Act
    const result = rewriteImageReference(config, input);

    // Assess
    expect(result).toEqual({ outcome: 'unchanged', input, output: input });
  });

  it('names the registry and the pullThroughCache entry to add when no prefix covers it', () => {
    // Act
    const results = ['gcr.io/distroless/static:nonroot', 'nginx:1.27', 'public.ecr.aws/docker/library/redis:7'].map((input) => rewriteImageReference(exampleConfig, input));

    // Assess
    expect(results).toEqual([
      {
        outcome: 'no-prefix',
        input: 'gcr.io/distroless/static:nonroot',
        output: null,
        reason:
          "no cache prefix for registry gcr.io: add { prefix: <name>, upstream: gcr.io, mode: copy } to pullThroughCache; ECR's pull-through cache does not support gcr.io, so the prefix copies its allow-listed images",
      },
      {
        outcome: 'no-prefix',
        input: 'nginx:1.27',
        output: null,
        reason: 'no cache prefix for registry docker.io (Docker Hub): add { prefix: <name>, upstream: registry-1.docker.io } to pullThroughCache',
      },
      {
        outcome: 'no-prefix',
        input: 'public.ecr.aws/docker/library/redis:7',
        output: null,
        reason: 'no cache prefix for registry public.ecr.aws (ECR Public): add { prefix: <name>, upstream: public.ecr.aws } to pullThroughCache',
      },
    ]);
  });

  it('reports an invalid reference with what is wrong instead of rewriting it', () => {
    // Act
    const result = rewriteImageReference(config, 'registry.k8s.io/Pause:3.10');

    // Assess
    expect(result).toEqual({ outcome: 'invalid', input: 'registry.k8s.io/Pause:3.10', output: null, reason: 'repository "Pause" must be lowercase (write "pause")' });
  });

  it('uses the first prefix in the file when two cache the same upstream', () => {
    // Prepare
    const twice = configWithCaches([
      { prefix: 'hub-a', upstream: 'registry-1.docker.io', credentialArn: SECRET('a') },
      { prefix: 'hub-b', upstream: 'docker.io', credentialArn: SECRET('b') },
    ]);

    // Act
    const result = rewriteImageReference(twice, 'nginx:1.27');

    // Assess
    expect(result.output).toBe(`${HOST}/hub-a/library/nginx:1.27`);
  });

  it('refuses a cache repository name longer than ECR allows', () => {
    // Prepare: a name the grammar accepts (255 characters with its registry) under a 30-character prefix.
    const longPrefix = configWithCaches([{ prefix: 'k'.repeat(30), upstream: 'registry.k8s.io' }]);
    const input = `registry.k8s.io/${'a'.repeat(119)}/${'b'.repeat(119)}:1`;

    // Act
    const result = rewriteImageReference(longPrefix, input);

    // Assess
    expect(result).toMatchObject({ outcome: 'too-long', output: null, reason: expect.stringContaining('ECR allows at most 256') });
  });
});

describe('ecrRegistryHost', () => {
  it.each([
    ['eu-central-1', '111122223333.dkr.ecr.eu-central-1.amazonaws.com'],
    ['cn-north-1', '111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', '111122223333.dkr.ecr.us-gov-west-1.amazonaws.com'],
  ])('%s: %s', (region, host) => {
    // Act
    const built = ecrRegistryHost({ accountId: '111122223333', region });

    // Assess
    expect(built).toBe(host);
  });
});
