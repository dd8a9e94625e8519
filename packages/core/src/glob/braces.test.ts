import { describe, expect, it } from 'vitest';
import { InputLimit } from '../constants.js';
import { countBraceExpansions, expandBraces } from './braces.js';
import { checkGlob } from './glob.js';

describe('countBraceExpansions', () => {
  it.each([
    ['prod/api', 1],
    ['{a,b}', 2],
    ['{a,b}{c,d}', 4],
    ['{a,b}/{c,d,e}-x', 6],
    ['{a,{b,c}x}', 3],
    ['{a,{b,c}{d,e}}', 5],
    ['svc-{1..9}', 1],
    ['{a,}', 2],
  ])('%s stands for %i globs, the same number expandBraces returns', (glob, count) => {
    // Act
    const counted = countBraceExpansions(glob);
    const expanded = expandBraces(glob);

    // Assess
    expect([counted, expanded?.length]).toEqual([count, count]);
  });

  it('counts 24 groups of {a,b} (16,777,216 globs) only up to the cap, without expanding them', () => {
    // Prepare
    const glob = `prod/${'{a,b}'.repeat(24)}`;

    // Act
    const counted = countBraceExpansions(glob);
    const expanded = expandBraces(glob);

    // Assess
    expect(counted).toBe(InputLimit.braceExpansions + 1);
    expect(expanded).toBeUndefined();
  });

  it('expands up to the limit', () => {
    // Prepare: exactly InputLimit.braceExpansions alternatives.
    const glob = `x${'{a,b}'.repeat(Math.log2(InputLimit.braceExpansions))}`;

    // Act
    const expanded = expandBraces(glob);

    // Assess
    expect(new Set(expanded).size).toBe(InputLimit.braceExpansions);
  });
});

describe('checkGlob size limits', () => {
  it('refuses a glob whose braces stand for more than InputLimit.braceExpansions globs', () => {
    // Act
    const check = checkGlob(`prod/${'{a,b}'.repeat(24)}`, 'repository');

    // Assess
    expect(check).toEqual({
      ok: false,
      reason: `glob "prod/${'{a,b}'.repeat(15)}…" (125 characters) stands for more than ${InputLimit.braceExpansions} names through its braces; use fewer brace groups or '*'`,
    });
  });

  it('refuses a glob longer than InputLimit.globLength', () => {
    // Act
    const check = checkGlob('a'.repeat(InputLimit.globLength + 1), 'tag');

    // Assess
    expect(check).toEqual({ ok: false, reason: `glob is ${InputLimit.globLength + 1} characters long; a glob may have at most ${InputLimit.globLength}` });
  });
});
