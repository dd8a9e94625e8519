import { describe, expect, it } from 'vitest';
import { InputLimit } from '../constants.js';
import { matchLabelValidator } from './label-validators.js';

describe('matchLabelValidator', () => {
  it.each([
    ['present', 'anything', true],
    ['present', '', false],
    ['present', '   ', false],
    ['git-sha', '0123456789abcdef0123456789abcdef01234567', true],
    ['git-sha', 'abc1234', true],
    ['git-sha', 'main', false],
    ['git-sha', 'ABC1234', false],
    ['rfc3339', '2024-05-01T12:30:00Z', true],
    ['rfc3339', '2024-05-01T12:30:00.123456789+02:00', true],
    ['rfc3339', '2024-05-01t12:30:00z', true],
    ['rfc3339', '2024-02-29T00:00:00Z', true],
    ['rfc3339', '2023-02-29T00:00:00Z', false],
    ['rfc3339', '2024-05-01T12:30:00', false],
    ['rfc3339', '2024-05-01', false],
    ['rfc3339', 'yesterday', false],
  ] as const)('%s %j -> %s', (validator, value, expected) => {
    // Act
    const matches = matchLabelValidator(validator, value);

    // Assess
    expect(matches).toBe(expected);
  });

  it.each([
    ['https://github.com/acme/api', true],
    ['https://github.com/evil/api', false],
    ['see https://github.com/acme/api', false],
  ])('regex is searched, so the contract\'s "^https://github\\.com/acme/" is a prefix check: %s -> %s', (value, expected) => {
    // Act
    const matches = matchLabelValidator({ regex: '^https://github\\.com/acme/' }, value);

    // Assess
    expect(matches).toBe(expected);
  });

  it('does not anchor a label regex at the end unless the pattern does', () => {
    // Act
    const results = [matchLabelValidator({ regex: 'acme' }, 'team-acme-api'), matchLabelValidator({ regex: '^acme$' }, 'team-acme-api')];

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('decides a { regex } validator with catastrophic backtracking on a long pusher-controlled value', () => {
    // Prepare
    const value = `${'a'.repeat(InputLimit.labelValueLength - 1)}!`;

    // Act
    const results = [matchLabelValidator({ regex: '^(a|a)+$' }, value), matchLabelValidator({ regex: '^(a|a)+!$' }, value)];

    // Assess
    expect(results).toEqual([false, true]);
  });

  it('fails every validator on a value longer than InputLimit.labelValueLength', () => {
    // Prepare
    const tooLong = 'a'.repeat(InputLimit.labelValueLength + 1);

    // Act
    const results = [matchLabelValidator({ regex: 'a' }, tooLong), matchLabelValidator('present', tooLong), matchLabelValidator({ regex: 'a' }, tooLong.slice(1))];

    // Assess
    expect(results).toEqual([false, false, true]);
  });
});
