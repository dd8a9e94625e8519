import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../cache-repository/example-config.fixture.js';
import { planWarm } from './plan-warm.js';
import { listWarmTargets } from './warm-targets.js';

const digest = (char: string): string => `sha256:${char.repeat(64)}`;

const pauseTarget = () => {
  const target = listWarmTargets(exampleConfig).find((candidate) => candidate.repository === 'k8s/pause');
  if (!target) throw new Error('no k8s/pause target');
  return target;
};

describe('planWarm', () => {
  it('leaves a tag unchanged when upstream still has the digest warmed last time, and warms a moved one', () => {
    // Act
    const plan = planWarm({
      target: pauseTarget(),
      resolvedTags: [{ tag: '3.9' }, { tag: '3.10' }],
      lastWarmed: { '3.9': digest('a'), '3.10': digest('b') },
      currentDigests: { '3.9': digest('a'), '3.10': digest('c') },
    });

    // Assess
    expect(plan.unchanged).toEqual([{ tag: '3.9', digest: digest('a') }]);
    expect(plan.warm).toEqual([{ tag: '3.10', reason: 'moved', digest: digest('c') }]);
    expect(plan.pinMismatch).toEqual([]);
  });

  it('warms a tag never warmed before, and one whose upstream digest is unknown', () => {
    // Act
    const plan = planWarm({
      target: pauseTarget(),
      resolvedTags: [{ tag: '3.9' }, { tag: '3.10' }],
      lastWarmed: { '3.10': digest('b') },
      currentDigests: { '3.9': digest('a') },
    });

    // Assess
    expect(plan.warm).toEqual([
      { tag: '3.9', reason: 'new', digest: digest('a') },
      { tag: '3.10', reason: 'digest-unknown' },
    ]);
    expect(plan.unchanged).toEqual([]);
  });

  it('does not warm a pinned tag upstream moved away from its pin', () => {
    // Act
    const plan = planWarm({
      target: pauseTarget(),
      resolvedTags: [{ tag: '3.9', pinnedDigest: digest('a') }, { tag: '3.10', pinnedDigest: digest('b') }],
      lastWarmed: {},
      currentDigests: { '3.9': digest('f'), '3.10': digest('b') },
    });

    // Assess
    expect(plan.pinMismatch).toEqual([{ tag: '3.9', pinnedDigest: digest('a'), upstreamDigest: digest('f') }]);
    expect(plan.warm).toEqual([{ tag: '3.10', reason: 'new', digest: digest('b'), pinnedDigest: digest('b') }]);
  });

  it('ignores inherited keys in the digest maps (a tag named like an Object member)', () => {
    // Act
    const plan = planWarm({ target: pauseTarget(), resolvedTags: [{ tag: 'constructor' }], lastWarmed: {}, currentDigests: {} });

    // Assess
    expect(plan.warm).toEqual([{ tag: 'constructor', reason: 'digest-unknown' }]);
  });
});
