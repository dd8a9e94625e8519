import { describe, expect, it } from 'vitest';
import { InputLimit } from '../constants.js';
import { matchTagScheme } from './tag-schemes.js';

describe('matchTagScheme', () => {
  it.each([
    ['1.2.3', true],
    ['v1.2.3', true],
    ['0.0.0', true],
    ['1.2.3-rc.1', true],
    ['v10.20.30-alpha.beta.1', true],
    ['1.2', false],
    ['1.2.3.4', false],
    ['01.2.3', false],
    ['1.02.3', false],
    ['1.2.3-01', false],
    ['V1.2.3', false],
    ['latest', false],
  ])('semver %s -> %s', (tag, expected) => {
    // Act
    const matches = matchTagScheme('semver', tag);

    // Assess
    expect(matches).toBe(expected);
  });

  it.each([
    ['abc1234', true],
    ['0123456789abcdef0123456789abcdef01234567', true],
    ['abc123', false],
    ['0123456789abcdef0123456789abcdef012345678', false],
    ['ABC1234', false],
    ['abc123g', false],
  ])('git-sha %s -> %s', (tag, expected) => {
    // Act
    const matches = matchTagScheme('git-sha', tag);

    // Assess
    expect(matches).toBe(expected);
  });

  it.each([
    ['8.0.12-c15', true],
    ['v1.29.0-r2', true],
    ['16-3', true],
    ['2024.01.05-c1', true],
    ['8.0.12', false],
    ['8.0.12-', false],
    ['8.0.12-alpine', false],
    ['8.0.12-c15-extra', false],
    ['mysql-8.0.12-c15', false],
  ])('upstream-suffix %s -> %s', (tag, expected) => {
    // Act
    const matches = matchTagScheme('upstream-suffix', tag);

    // Assess
    expect(matches).toBe(expected);
  });

  it.each([
    ['release-42', true],
    ['release-42-fix', false],
    ['my-release-42', false],
  ])('regex "release-\\d+" matches the whole tag: %s -> %s', (tag, expected) => {
    // Act
    const matches = matchTagScheme({ regex: 'release-\\d+' }, tag);

    // Assess
    expect(matches).toBe(expected);
  });

  it('anchors an alternation as a whole, not only its first branch', () => {
    // Act
    const matches = matchTagScheme({ regex: 'a|b' }, 'ab');

    // Assess
    expect(matches).toBe(false);
  });

  it('rejects a string that is not a valid tag for every scheme', () => {
    // Prepare
    const notATag = '.1.2.3';

    // Act
    const results = [matchTagScheme({ regex: '.*' }, notATag), matchTagScheme('semver', ' 1.2.3')];

    // Assess
    expect(results).toEqual([false, false]);
  });

  it('decides a { regex } scheme with catastrophic backtracking on the longest tag ECR allows', () => {
    // Prepare: ^(a+)+$ took 11 s on 28 characters with a backtracking engine and never ended on 40.
    const tag = `${'a'.repeat(InputLimit.tagLength - 1)}b`;

    // Act
    const results = [matchTagScheme({ regex: '^(a+)+$' }, tag), matchTagScheme({ regex: '^(a+)+$' }, 'a'.repeat(InputLimit.tagLength))];

    // Assess
    expect(results).toEqual([false, true]);
  });

  it('rejects a tag longer than InputLimit.tagLength (128, ECR) for every scheme', () => {
    // Act
    const results = [matchTagScheme({ regex: 'a*' }, 'a'.repeat(InputLimit.tagLength)), matchTagScheme({ regex: 'a*' }, 'a'.repeat(InputLimit.tagLength + 1))];

    // Assess
    expect(results).toEqual([true, false]);
  });
});
