import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../cache-repository/example-config.fixture.js';
import { resolveTags } from './resolve-tags.js';
import { listWarmTargets } from './warm-targets.js';

// Shaped like registry.k8s.io's tag lists: v-prefixed releases, pre-releases, and non-SemVer tags.
const METRICS_SERVER_TAGS = ['v0.6.4', 'v0.7.0-rc.1', 'v0.7.0', 'v0.7.2', 'v0.7.1', 'v0.8.0', 'v0.8.0-alpha.0', 'latest', 'v0.7', 'sha-3f1b2c'];

const selectorOf = (repository: string) => {
  const target = listWarmTargets(exampleConfig).find((candidate) => candidate.repository === repository);
  if (!target) throw new Error(`no warm target ${repository}`);
  return target.selector;
};

describe('resolveTags', () => {
  it('resolves the example SemVer range over v-prefixed tags, sorted by version, without pre-releases', () => {
    // Act
    const resolved = resolveTags(selectorOf('k8s/metrics-server/metrics-server'), METRICS_SERVER_TAGS);

    // Assess
    expect(resolved).toEqual({ tags: [{ tag: 'v0.7.0' }, { tag: 'v0.7.1' }, { tag: 'v0.7.2' }], missing: [] });
  });

  it('includes a pre-release when the range names one on the same version', () => {
    // Act
    const resolved = resolveTags({ semver: '>=0.7.0-rc.0 <0.8.0' }, METRICS_SERVER_TAGS);

    // Assess
    expect(resolved.tags.map(({ tag }) => tag)).toEqual(['v0.7.0-rc.1', 'v0.7.0', 'v0.7.1', 'v0.7.2']);
  });

  it('accepts unprefixed SemVer tags and rejects other prefixes or partial versions', () => {
    // Act
    const resolved = resolveTags({ semver: '^1.2.0' }, ['1.2.3', 'v1.2.4', 'vv1.2.5', '=1.2.6', '1.2', 'release-1.2.7', '1.3.0']);

    // Assess
    expect(resolved.tags.map(({ tag }) => tag)).toEqual(['1.2.3', 'v1.2.4', '1.3.0']);
  });

  it('resolves the example exact list and reports the tags the upstream lacks', () => {
    // Act
    const resolved = resolveTags(selectorOf('k8s/pause'), ['3.8', '3.9', 'latest']);

    // Assess
    expect(resolved).toEqual({ tags: [{ tag: '3.9' }], missing: ['3.10'] });
  });

  it('resolves a digest-pinned entry by its tag and carries the pinned digest', () => {
    // Prepare
    const digest = `sha256:${'e'.repeat(64)}`;

    // Act
    const resolved = resolveTags([`3.9@${digest}`, '3.10'], ['3.9', '3.10']);

    // Assess
    expect(resolved).toEqual({ tags: [{ tag: '3.9', pinnedDigest: digest }, { tag: '3.10' }], missing: [] });
  });

  it('matches a regex against the whole tag only', () => {
    // Act
    const resolved = resolveTags({ regex: '3\\.9' }, ['3.9', '3.9-rc', 'v3.9', '3x9']);

    // Assess
    expect(resolved).toEqual({ tags: [{ tag: '3.9' }], missing: [] });
  });

  it('keeps a regex alternation inside the full match', () => {
    // Act
    const resolved = resolveTags({ regex: '3\\.9|3\\.10' }, ['3.9', '3.10', '3.9.1', '13.10']);

    // Assess
    expect(resolved.tags.map(({ tag }) => tag)).toEqual(['3.9', '3.10']);
  });
});
