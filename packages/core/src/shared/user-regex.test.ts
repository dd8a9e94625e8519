import { describe, expect, it } from 'vitest';
import { InputLimit } from '../constants.js';
import { checkUserRegex, compileUserRegex } from './user-regex.js';

describe('compileUserRegex', () => {
  it('decides a catastrophic-backtracking pattern on a long input (RE2: linear time)', () => {
    // Prepare: ^(a+)+$ backtracks 2^n times in a JavaScript RegExp on a's followed by one other character.
    const regex = compileUserRegex('^(a+)+$');
    const hostile = `${'a'.repeat(InputLimit.tagLength - 1)}b`;

    // Act
    const results = [regex.fullMatch(hostile), regex.search(hostile), regex.fullMatch('a'.repeat(40))];

    // Assess
    expect(results).toEqual([false, false, true]);
  });

  it('fullMatch needs the whole text, even for a top-level alternation; search finds the pattern anywhere', () => {
    // Prepare
    const alternation = compileUserRegex('3\\.9|3\\.10');
    const prefix = compileUserRegex('^https://github\\.com/acme/');

    // Act
    const results = {
      exact: alternation.fullMatch('3.10'),
      longer: alternation.fullMatch('3.9-rc'),
      prefixSearch: prefix.search('https://github.com/acme/api'),
      prefixFull: prefix.fullMatch('https://github.com/acme/api'),
    };

    // Assess
    expect(results).toEqual({ exact: true, longer: false, prefixSearch: true, prefixFull: false });
  });

  it('cannot be broken out of: a pattern closing a group it did not open is rejected, not wrapped', () => {
    // Act
    const attempt = (): unknown => compileUserRegex('a)|(b');

    // Assess
    expect(attempt).toThrow(/unexpected \)/);
  });
});

describe('checkUserRegex', () => {
  it.each([
    ['(?=a)b', 0, '`(?=`: lookahead and lookbehind are not supported'],
    ['x(?<!a)b', 1, 'lookahead and lookbehind are not supported'],
    ['^(a)\\1$', 4, '`\\1`: backreferences'],
    ['(?<v>a)\\k<v>', 7, 'backreferences'],
    ['\\u00e9', 0, 'write a code point as \\x{00e9}'],
    ['a{1001}', 1, 'a repeat count is at most 1000'],
  ])('rejects %s at offset %i, saying what to write instead', (pattern, offset, reason) => {
    // Act
    const check = checkUserRegex(pattern);

    // Assess
    expect(check).toMatchObject({ ok: false, offset });
    expect(check.ok ? '' : check.reason).toContain(reason);
  });

  it.each(['^v\\d+\\.\\d+$', '(?i)^release-[a-z]+$', '^(?<major>\\d+)\\.x$', '[[:alpha:]]+', '\\x{00e9}'])('accepts the RE2 pattern %s', (pattern) => {
    // Act
    const check = checkUserRegex(pattern);

    // Assess
    expect(check).toEqual({ ok: true });
  });

  it('rejects a pattern longer than InputLimit.regexLength without compiling it', () => {
    // Act
    const check = checkUserRegex('a'.repeat(InputLimit.regexLength + 1));

    // Assess
    expect(check).toEqual({ ok: false, reason: `is ${InputLimit.regexLength + 1} characters long; a regular expression may have at most ${InputLimit.regexLength}` });
  });
});
