import { describe, expect, it } from 'vitest';
import { configWithCaches, exampleConfig } from './example-config.fixture.js';
import { findCacheRule } from './find-cache-rule.js';

describe('findCacheRule', () => {
  it.each(['k8s/pause', 'k8s/metrics-server/metrics-server'])('finds the k8s rule for %s', (repository) => {
    // Act
    const rule = findCacheRule(exampleConfig, repository);

    // Assess
    expect(rule?.prefix).toBe('k8s');
  });

  it.each(['k8sfoo/pause', 'k8s', 'prod/k8s/pause', 'K8s/pause'])('finds no rule for %s', (repository) => {
    // Act
    const rule = findCacheRule(exampleConfig, repository);

    // Assess
    expect(rule).toBeUndefined();
  });

  it('tells two sibling prefixes apart', () => {
    // Prepare
    const config = configWithCaches([
      { prefix: 'k8s', upstream: 'registry.k8s.io' },
      { prefix: 'k8s-quay', upstream: 'quay.io' },
    ]);

    // Act
    const quay = findCacheRule(config, 'k8s-quay/prometheus/node-exporter');
    const k8s = findCacheRule(config, 'k8s/pause');

    // Assess
    expect(quay?.upstream).toBe('quay.io');
    expect(k8s?.upstream).toBe('registry.k8s.io');
  });
});
