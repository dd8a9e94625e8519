import { describe, expect, it } from 'vitest';
import { copyPrefixConfig, PINNED_DIGEST } from './copy-prefix.fixture.js';
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

  describe('a copy prefix (it holds only its allow-listed images and exact tags)', () => {
    const PIN = PINNED_DIGEST;
    const copy = copyPrefixConfig();
    const where = 'prepopulate.images of the pullThroughCache entry with prefix mcr';

    it.each([
      ['mcr.microsoft.com/dotnet/runtime:8.0', `${HOST}/mcr/dotnet/runtime:8.0`],
      ['mcr.microsoft.com/dotnet/aspnet:8.0', `${HOST}/mcr/dotnet/aspnet:8.0`],
      ['mcr.microsoft.com/dotnet/aspnet', `${HOST}/mcr/dotnet/aspnet:latest`],
      [`mcr.microsoft.com/dotnet/aspnet@${PIN}`, `${HOST}/mcr/dotnet/aspnet@${PIN}`],
      [`mcr.microsoft.com/dotnet/aspnet:8.0@${PIN}`, `${HOST}/mcr/dotnet/aspnet:8.0@${PIN}`],
    ])('rewrites the allow-listed %s', (input, output) => {
      // Act
      const result = rewriteImageReference(copy, input);

      // Assess
      expect(result).toEqual({ outcome: 'rewritten', input, output });
    });

    it.each([
      ['mcr.microsoft.com/other/image:1', `copy prefix mcr holds only its allow-listed images and other/image is not one of them: add { image: other/image, tags: ["1"] } to ${where}`],
      ['mcr.microsoft.com/dotnet/runtime:9.0', `copy prefix mcr holds only the tags 8.0 of dotnet/runtime: add "9.0" to the tags of dotnet/runtime in ${where}`],
      ['mcr.microsoft.com/dotnet/runtime:latest', `copy prefix mcr holds only the tags 8.0 of dotnet/runtime: add "latest" to the tags of dotnet/runtime in ${where}`],
      ['mcr.microsoft.com/dotnet/runtime', `copy prefix mcr holds only the tags 8.0 of dotnet/runtime: add "latest" to the tags of dotnet/runtime in ${where}`],
      [
        `mcr.microsoft.com/dotnet/runtime:8.0@${DIGEST}`,
        `copy prefix mcr rewrites a digest of dotnet/runtime only when the allow-list pins a tag to it ("<tag>@${DIGEST}" in ${where}): the digest of an unpinned copy cannot be checked offline`,
      ],
      [
        `mcr.microsoft.com/dotnet/aspnet:latest@${PIN}`,
        `copy prefix mcr rewrites a digest of dotnet/aspnet only when the allow-list pins a tag to it ("<tag>@${PIN}" in ${where}): the digest of an unpinned copy cannot be checked offline`,
      ],
      [
        'mcr.microsoft.com/dotnet/sdk:8.0.100',
        `copy prefix mcr holds no exact tags of dotnet/sdk (tags chosen by semver are not rewritten: neither rewrite-image nor the Kyverno policy can check them offline): add "8.0.100" to the tags of dotnet/sdk in ${where}`,
      ],
    ])('refuses %s, which the prefix never copied, naming the allow-list', (input, reason) => {
      // Act
      const result = rewriteImageReference(copy, input);

      // Assess
      expect(result).toEqual({ outcome: 'not-copied', input, output: null, reason });
    });
  });

  it('says a loopback registry cannot be cached, and names the upstream of a host written with port 443', () => {
    // Act
    const results = ['localhost/app:1', 'localhost:5000/team/app:1', '127.0.0.1:5000/app:1', 'registry.k8s.io:443/pause:3.10'].map((input) => rewriteImageReference(exampleConfig, input).reason);

    // Assess
    const loopback = (registry: string): string =>
      `no cache prefix for registry ${registry}: it is the pulling machine's own loopback, which neither ECR nor the prepopulate worker can reach, so it cannot be cached; push the image to a repository in the account instead`;
    expect(results).toEqual([
      loopback('localhost'),
      loopback('localhost:5000'),
      loopback('127.0.0.1:5000'),
      'no cache prefix for registry registry.k8s.io:443: add { prefix: <name>, upstream: registry.k8s.io } to pullThroughCache; registry.k8s.io:443 is registry.k8s.io on HTTPS\'s default port: configure the upstream as registry.k8s.io and write the reference without ":443" (the reference grammar treats the two as different names, so a prefix for registry.k8s.io does not match registry.k8s.io:443)',
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
