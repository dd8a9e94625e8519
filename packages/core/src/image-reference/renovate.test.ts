import { describe, expect, it } from 'vitest';
import { configWithCaches, exampleConfig } from '../cache-repository/example-config.fixture.js';
import { renderRenovateAliases } from './renovate.js';

const HOST = '111122223333.dkr.ecr.eu-central-1.amazonaws.com';
const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf';

describe('renderRenovateAliases', () => {
  it("maps the example's k8s prefix back to registry.k8s.io", () => {
    // Act
    const rendered = renderRenovateAliases(exampleConfig);

    // Assess
    expect(rendered).toEqual({ registryAliases: { [`${HOST}/k8s`]: 'registry.k8s.io' } });
  });

  it('maps every upstream, Docker Hub as docker.io (the cache keeps library/ in the path), longest prefix first', () => {
    // Prepare
    const config = configWithCaches([
      { prefix: 'k8s', upstream: 'registry.k8s.io' },
      { prefix: 'k8s-quay', upstream: 'quay.io' },
      { prefix: 'hub', upstream: 'registry-1.docker.io', credentialArn: SECRET },
    ]);

    // Act
    const { registryAliases } = renderRenovateAliases(config);

    // Assess
    expect(Object.entries(registryAliases)).toEqual([
      [`${HOST}/k8s-quay`, 'quay.io'],
      [`${HOST}/hub`, 'docker.io'],
      [`${HOST}/k8s`, 'registry.k8s.io'],
    ]);
  });
});
