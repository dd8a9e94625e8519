import { describe, expect, it } from 'vitest';
import { configWithCaches, exampleConfig } from '../cache-repository/example-config.fixture.js';
import { upstreamRepositoryFor } from './upstream.js';
import { listWarmTargets, warmOwner, warmTargetFor } from './warm-targets.js';

const dockerHubConfig = () =>
  configWithCaches([
    {
      prefix: 'docker-hub',
      upstream: 'registry-1.docker.io',
      credentialArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf',
      prepopulate: { images: [{ image: 'nginx', tags: ['1.27'] }, { image: 'bitnami/redis', tags: ['7.4'] }] },
    },
  ]);

describe('listWarmTargets', () => {
  it('lists the example allow-list with repositories under the cache prefix', () => {
    // Act
    const targets = listWarmTargets(exampleConfig);

    // Assess
    expect(targets).toEqual([
      { prefix: 'k8s', upstream: 'registry.k8s.io', mode: 'cache', image: 'pause', repository: 'k8s/pause', selector: ['3.9', '3.10'] },
      {
        prefix: 'k8s',
        upstream: 'registry.k8s.io',
        mode: 'cache',
        image: 'metrics-server/metrics-server',
        repository: 'k8s/metrics-server/metrics-server',
        selector: { semver: '>=0.7.0 <0.8.0' },
        platforms: ['linux/amd64', 'linux/arm64'],
      },
      {
        prefix: 'k8s',
        upstream: 'registry.k8s.io',
        mode: 'cache',
        image: 'coredns/coredns',
        repository: 'k8s/coredns/coredns',
        selector: ['v1.11.1'],
        owner: 'platform-dns',
      },
    ]);
  });

  it('carries the entry\'s mode, so a copy-mode image is copied rather than pulled through a cache', () => {
    // Prepare
    const config = configWithCaches([
      { prefix: 'mcr', upstream: 'mcr.microsoft.com', mode: 'copy', prepopulate: { images: [{ image: 'dotnet/runtime', tags: ['8.0'] }] } },
      { prefix: 'quay', upstream: 'quay.io', prepopulate: { images: [{ image: 'prometheus/node-exporter', tags: ['v1.8.2'] }] } },
    ]);

    // Act
    const targets = listWarmTargets(config).map((target) => [target.repository, target.mode]);

    // Assess
    expect(targets).toEqual([
      ['mcr/dotnet/runtime', 'copy'],
      ['quay/prometheus/node-exporter', 'cache'],
    ]);
  });

  it('puts Docker Hub official images under library/, and only those', () => {
    // Act
    const repositories = listWarmTargets(dockerHubConfig()).map((target) => target.repository);

    // Assess
    expect(repositories).toEqual(['docker-hub/library/nginx', 'docker-hub/bitnami/redis']);
  });
});

describe('upstreamRepositoryFor', () => {
  it('names the upstream repository of a registry.k8s.io image', () => {
    // Prepare
    const [pause] = listWarmTargets(exampleConfig);

    // Act
    const upstream = upstreamRepositoryFor(pause ?? { upstream: '', image: '' });

    // Assess
    expect(upstream).toEqual({ registry: 'registry.k8s.io', repository: 'pause', reference: 'registry.k8s.io/pause' });
  });

  it.each([
    [{ upstream: 'registry-1.docker.io', image: 'nginx' }, 'registry-1.docker.io/library/nginx'],
    [{ upstream: 'docker.io', image: 'alpine' }, 'registry-1.docker.io/library/alpine'],
    [{ upstream: 'registry-1.docker.io', image: 'bitnami/redis' }, 'registry-1.docker.io/bitnami/redis'],
    [{ upstream: 'public.ecr.aws', image: 'nginx' }, 'public.ecr.aws/nginx'],
    [{ upstream: 'quay.io', image: 'prometheus/node-exporter' }, 'quay.io/prometheus/node-exporter'],
  ])('maps %o to %s', (target, reference) => {
    // Act
    const upstream = upstreamRepositoryFor(target);

    // Assess
    expect(upstream.reference).toBe(reference);
  });
});

describe('warmTargetFor', () => {
  it('is the allow-list entry for a listed repository', () => {
    // Act
    const target = warmTargetFor(exampleConfig, 'k8s/coredns/coredns', 'v9.9.9');

    // Assess
    expect(target).toEqual(listWarmTargets(exampleConfig).find((listed) => listed.repository === 'k8s/coredns/coredns'));
  });

  it('is an ad-hoc target of just that tag for an image under a cache prefix but not on the allow-list', () => {
    // Act
    const target = warmTargetFor(exampleConfig, 'k8s/kube-proxy', 'v1.31.0');

    // Assess
    expect(target).toEqual({ prefix: 'k8s', upstream: 'registry.k8s.io', mode: 'cache', image: 'kube-proxy', repository: 'k8s/kube-proxy', selector: ['v1.31.0'] });
  });

  it('is undefined outside every cache prefix', () => {
    // Act
    const target = warmTargetFor(exampleConfig, 'k8sx/pause', '3.9');

    // Assess
    expect(target).toBeUndefined();
  });
});

describe('warmOwner', () => {
  it.each([
    ['the allow-list owner', 'k8s/coredns/coredns', 'platform-dns'],
    ['else the owning team of the scanAlerts routes', 'k8s/pause', 'platform'],
  ])('is %s', (_label, repository, owner) => {
    // Act
    const found = warmOwner(exampleConfig, repository);

    // Assess
    expect(found).toBe(owner);
  });

  it('is undefined (not null) when nobody owns the repository', () => {
    // Act
    const found = warmOwner({ ...exampleConfig, scanAlerts: undefined }, 'k8s/pause');

    // Assess
    expect(found).toBeUndefined();
  });
});
