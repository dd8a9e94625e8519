import { describe, expect, it } from 'vitest';
import { parsePinnedTag } from './index.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parsePinnedTag', () => {
  it('splits a digest-pinned tag into tag and digest', () => {
    // Prepare
    const value = `v1.11.1@${DIGEST}`;

    // Act
    const pinned = parsePinnedTag(value);

    // Assess
    expect(pinned).toEqual({ tag: 'v1.11.1', digest: DIGEST });
  });

  it('returns a plain tag without digest', () => {
    // Prepare / Act
    const pinned = parsePinnedTag('3.10');

    // Assess
    expect(pinned).toEqual({ tag: '3.10' });
    expect('digest' in pinned).toBe(false);
  });

  it('does not take a malformed digest for a pin', () => {
    // Prepare / Act
    const pinned = parsePinnedTag('v1@sha256:abc');

    // Assess
    expect(pinned).toEqual({ tag: 'v1@sha256:abc' });
  });
});
