import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from './event-pattern.js';

type Case = { name: string; entry: unknown; value: unknown; expected: boolean };

/** Each case puts one value-list entry on field `f` and one value in the event's `f`. */
const cases: Case[] = [
  // exact values
  { name: 'string equals', entry: 'PUSH', value: 'PUSH', expected: true },
  { name: 'string is case sensitive', entry: 'PUSH', value: 'push', expected: false },
  { name: 'number equals', entry: 5, value: 5, expected: true },
  { name: 'number equals another spelling of it', entry: 300, value: 3.0e2, expected: true },
  { name: 'number differs', entry: 5, value: 6, expected: false },
  { name: 'number never equals its string', entry: 5, value: '5', expected: false },
  { name: 'string never equals its number', entry: '5', value: 5, expected: false },
  { name: 'true equals true', entry: true, value: true, expected: true },
  { name: 'true is not "true"', entry: true, value: 'true', expected: false },
  { name: 'null equals null', entry: null, value: null, expected: true },
  { name: 'null is not ""', entry: null, value: '', expected: false },
  { name: '"" equals ""', entry: '', value: '', expected: true },
  { name: '"" is not null', entry: '', value: null, expected: false },
  // prefix / suffix
  { name: 'prefix', entry: { prefix: 'prod/' }, value: 'prod/api', expected: true },
  { name: 'prefix mismatch', entry: { prefix: 'prod/' }, value: 'dev/api', expected: false },
  { name: 'prefix is case sensitive', entry: { prefix: 'prod/' }, value: 'PROD/api', expected: false },
  { name: 'prefix only on strings', entry: { prefix: '1' }, value: 123, expected: false },
  { name: 'prefix ignore case', entry: { prefix: { 'equals-ignore-case': 'PROD/' } }, value: 'prod/api', expected: true },
  { name: 'prefix ignore case mismatch', entry: { prefix: { 'equals-ignore-case': 'PROD/' } }, value: 'dev/prod/', expected: false },
  { name: 'suffix', entry: { suffix: '.png' }, value: 'image.png', expected: true },
  { name: 'suffix mismatch', entry: { suffix: '.png' }, value: 'image.PNG', expected: false },
  { name: 'suffix ignore case', entry: { suffix: { 'equals-ignore-case': '.png' } }, value: 'image.PNG', expected: true },
  { name: 'suffix ignore case mismatch', entry: { suffix: { 'equals-ignore-case': '.png' } }, value: 'image.jpg', expected: false },
  // equals-ignore-case
  { name: 'equals-ignore-case', entry: { 'equals-ignore-case': 'alice' }, value: 'ALICE', expected: true },
  { name: 'equals-ignore-case is still whole-value', entry: { 'equals-ignore-case': 'alice' }, value: 'alice2', expected: false },
  { name: 'equals-ignore-case only on strings', entry: { 'equals-ignore-case': 'true' }, value: true, expected: false },
  // wildcard
  { name: 'wildcard star in the middle', entry: { wildcard: 'arn:aws:ecr:*:repository/prod/*' }, value: 'arn:aws:ecr:us-east-1:1:repository/prod/a/b', expected: true },
  { name: 'wildcard mismatch', entry: { wildcard: 'arn:aws:ecr:*:repository/prod/*' }, value: 'arn:aws:ecr:us-east-1:1:repository/dev/a', expected: false },
  { name: 'wildcard star matches empty', entry: { wildcard: 'a*b' }, value: 'ab', expected: true },
  { name: 'wildcard pieces in order', entry: { wildcard: '*b*a*' }, value: 'ab', expected: false },
  { name: 'wildcard prefix and suffix may be adjacent', entry: { wildcard: 'a*ba' }, value: 'aba', expected: true },
  { name: 'wildcard overlapping prefix and suffix', entry: { wildcard: 'ab*ba' }, value: 'aba', expected: false },
  { name: 'wildcard without star is exact', entry: { wildcard: 'latest' }, value: 'latest', expected: true },
  { name: 'wildcard escaped star is literal', entry: { wildcard: 'a\\*b' }, value: 'a*b', expected: true },
  { name: 'wildcard escaped star is not a wildcard', entry: { wildcard: 'a\\*b' }, value: 'axb', expected: false },
  { name: 'wildcard escaped backslash', entry: { wildcard: 'a\\\\*' }, value: 'a\\anything', expected: true },
  { name: 'wildcard only on strings', entry: { wildcard: '*' }, value: 5, expected: false },
  // anything-but
  { name: 'anything-but string', entry: { 'anything-but': 'initializing' }, value: 'running', expected: true },
  { name: 'anything-but string excluded', entry: { 'anything-but': 'initializing' }, value: 'initializing', expected: false },
  { name: 'anything-but string accepts other types', entry: { 'anything-but': 'x' }, value: 5, expected: true },
  { name: 'anything-but number', entry: { 'anything-but': 100 }, value: 101, expected: true },
  { name: 'anything-but number excluded', entry: { 'anything-but': 100 }, value: 1.0e2, expected: false },
  { name: 'anything-but list', entry: { 'anything-but': ['stopped', 'overloaded'] }, value: 'running', expected: true },
  { name: 'anything-but list excluded', entry: { 'anything-but': ['stopped', 'overloaded'] }, value: 'overloaded', expected: false },
  { name: 'anything-but number list', entry: { 'anything-but': [100, 200, 300] }, value: 250, expected: true },
  { name: 'anything-but number list excluded', entry: { 'anything-but': [100, 200, 300] }, value: 200, expected: false },
  { name: 'anything-but prefix', entry: { 'anything-but': { prefix: 'init' } }, value: 'running', expected: true },
  { name: 'anything-but prefix excluded', entry: { 'anything-but': { prefix: 'init' } }, value: 'initializing', expected: false },
  { name: 'anything-but suffix', entry: { 'anything-but': { suffix: '.txt' } }, value: 'a.png', expected: true },
  { name: 'anything-but suffix excluded', entry: { 'anything-but': { suffix: '.txt' } }, value: 'a.txt', expected: false },
  { name: 'anything-but prefix list', entry: { 'anything-but': { prefix: ['us-', 'eu-'] } }, value: 'ap-south-1', expected: true },
  { name: 'anything-but prefix list excluded by its second prefix', entry: { 'anything-but': { prefix: ['us-', 'eu-'] } }, value: 'eu-west-1', expected: false },
  { name: 'anything-but suffix list', entry: { 'anything-but': { suffix: ['.png', '.jpg'] } }, value: 'a.gif', expected: true },
  { name: 'anything-but suffix list excluded', entry: { 'anything-but': { suffix: ['.png', '.jpg'] } }, value: 'a.jpg', expected: false },
  { name: 'anything-but ignore case', entry: { 'anything-but': { 'equals-ignore-case': 'Bob' } }, value: 'alice', expected: true },
  { name: 'anything-but ignore case excluded', entry: { 'anything-but': { 'equals-ignore-case': 'Bob' } }, value: 'BOB', expected: false },
  { name: 'anything-but ignore case list excluded', entry: { 'anything-but': { 'equals-ignore-case': ['Bob', 'Eve'] } }, value: 'eve', expected: false },
  { name: 'anything-but wildcard', entry: { 'anything-but': { wildcard: '*/lib/*' } }, value: '/usr/bin/x', expected: true },
  { name: 'anything-but wildcard excluded', entry: { 'anything-but': { wildcard: '*/lib/*' } }, value: '/usr/lib/x', expected: false },
  { name: 'anything-but wildcard list excluded', entry: { 'anything-but': { wildcard: ['*/lib/*', '*.txt'] } }, value: 'a.txt', expected: false },
  // numeric
  { name: 'numeric =', entry: { numeric: ['=', 301.8] }, value: 3.018e2, expected: true },
  { name: 'numeric = mismatch', entry: { numeric: ['=', 301.8] }, value: 301.9, expected: false },
  { name: 'numeric >', entry: { numeric: ['>', 0] }, value: 1, expected: true },
  { name: 'numeric > excludes the bound', entry: { numeric: ['>', 0] }, value: 0, expected: false },
  { name: 'numeric >= includes the bound', entry: { numeric: ['>=', 0] }, value: 0, expected: true },
  { name: 'numeric <', entry: { numeric: ['<', 10] }, value: 9.99, expected: true },
  { name: 'numeric < excludes the bound', entry: { numeric: ['<', 10] }, value: 10, expected: false },
  { name: 'numeric <= includes the bound', entry: { numeric: ['<=', 10] }, value: 10, expected: true },
  { name: 'numeric range inside', entry: { numeric: ['>', 0, '<=', 5] }, value: 5, expected: true },
  { name: 'numeric range outside', entry: { numeric: ['>', 0, '<=', 5] }, value: 5.5, expected: false },
  { name: 'numeric range written upper bound first', entry: { numeric: ['<=', 5, '>', 0] }, value: 0, expected: false },
  { name: 'numeric only on JSON numbers', entry: { numeric: ['>', 0] }, value: '5', expected: false },
  { name: 'numeric keeps six decimals only', entry: { numeric: ['>', 0] }, value: 0.0000001, expected: false },
  { name: 'numeric ignores event values beyond 5e9', entry: { numeric: ['>', 0] }, value: 6e9, expected: false },
  // exists
  { name: 'exists true on a value', entry: { exists: true }, value: 'x', expected: true },
  { name: 'exists true on null', entry: { exists: true }, value: null, expected: true },
  { name: 'exists true on an object (not a leaf)', entry: { exists: true }, value: { a: 1 }, expected: false },
  { name: 'exists false on a value', entry: { exists: false }, value: 'x', expected: false },
  { name: 'exists false on an object (not a leaf)', entry: { exists: false }, value: { a: 1 }, expected: true },
  { name: 'exists false on an empty array', entry: { exists: false }, value: [], expected: true },
  // cidr
  { name: 'cidr IPv4 inside', entry: { cidr: '10.0.0.0/24' }, value: '10.0.0.255', expected: true },
  { name: 'cidr IPv4 outside', entry: { cidr: '10.0.0.0/24' }, value: '10.0.1.0', expected: false },
  { name: 'cidr /32', entry: { cidr: '192.168.1.7/32' }, value: '192.168.1.7', expected: true },
  { name: 'cidr /0 matches every IPv4', entry: { cidr: '0.0.0.0/0' }, value: '255.255.255.255', expected: true },
  { name: 'cidr host bits are ignored', entry: { cidr: '10.0.0.77/24' }, value: '10.0.0.1', expected: true },
  { name: 'cidr IPv6 inside', entry: { cidr: '2001:db8::/32' }, value: '2001:0db8:ffff::1', expected: true },
  { name: 'cidr IPv6 outside', entry: { cidr: '2001:db8::/32' }, value: '2001:db9::1', expected: false },
  { name: 'cidr IPv6 embedded IPv4', entry: { cidr: '::ffff:10.0.0.0/120' }, value: '::ffff:a00:5', expected: true },
  { name: 'cidr IPv4 range does not match IPv6', entry: { cidr: '0.0.0.0/0' }, value: '::1', expected: false },
  { name: 'cidr ignores non-addresses', entry: { cidr: '10.0.0.0/8' }, value: '10.0.0', expected: false },
  { name: 'cidr ignores numbers', entry: { cidr: '0.0.0.0/0' }, value: 167772161, expected: false },
];

describe('value-list operators', () => {
  it.each(cases)('$name: $entry vs $value -> $expected', ({ entry, value, expected }) => {
    // Prepare
    const pattern = { f: [entry] };
    const event = { f: value };

    // Act
    const matched = matchesEventPattern(pattern, event);

    // Assess
    expect(matched).toBe(expected);
  });

  it('treats every entry of a value list as an alternative (OR)', () => {
    // Prepare
    const pattern = { tag: ['latest', { prefix: 'v' }, { numeric: ['>', 10] }] };

    // Act
    const results = ['latest', 'v1.2', 11, 'main', 10].map((tag) => matchesEventPattern(pattern, { tag }));

    // Assess
    expect(results).toEqual([true, true, true, false, false]);
  });

  it('requires every field of a pattern to match (AND)', () => {
    // Prepare
    const pattern = { a: ['x'], b: ['y'] };

    // Act
    const both = matchesEventPattern(pattern, { a: 'x', b: 'y' });
    const one = matchesEventPattern(pattern, { a: 'x', b: 'z' });

    // Assess
    expect([both, one]).toEqual([true, false]);
  });

  it('does not let anything-but, prefix or numeric match a missing field', () => {
    // Prepare
    const patterns = [{ f: [{ 'anything-but': 'x' }] }, { f: [{ prefix: '' }] }, { f: [{ numeric: ['>', 0] }] }];

    // Act
    const results = patterns.map((pattern) => matchesEventPattern(pattern, { other: 1 }));

    // Assess
    expect(results).toEqual([false, false, false]);
  });

  it('matches exists false when the field is missing, and $or alternatives at any level', () => {
    // Prepare
    const pattern = { detail: { errorCode: [{ exists: false }], $or: [{ eventName: ['CreateRepository'] }, { eventType: ['AwsServiceEvent'] }] } };

    // Act
    const created = matchesEventPattern(pattern, { detail: { eventName: 'CreateRepository' } });
    const byService = matchesEventPattern(pattern, { detail: { eventName: 'Other', eventType: 'AwsServiceEvent' } });
    const failed = matchesEventPattern(pattern, { detail: { eventName: 'CreateRepository', errorCode: 'AccessDenied' } });
    const neither = matchesEventPattern(pattern, { detail: { eventName: 'DeleteRepository' } });

    // Assess
    expect([created, byService, failed, neither]).toEqual([true, true, false, false]);
  });

  it('nests $or inside $or', () => {
    // Prepare
    const pattern = { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] };

    // Act
    const results = [{ a: '1' }, { b: '2' }, { c: '3' }, { d: '4' }].map((event) => matchesEventPattern(pattern, event));

    // Assess
    expect(results).toEqual([true, true, true, false]);
  });

  it('never matches an event that is not a JSON object', () => {
    // Prepare
    const pattern = { f: [{ exists: false }] };

    // Act
    const results = [null, 'x', 5, [{ f: 1 }]].map((event) => matchesEventPattern(pattern, event));

    // Assess
    expect(results).toEqual([false, false, false, false]);
  });

  it('reads only own fields of the event, never inherited ones', () => {
    // Prepare
    const pattern = { constructor: [{ exists: true }] };

    // Act
    const inherited = matchesEventPattern(pattern, {});
    const own = matchesEventPattern(pattern, JSON.parse('{"constructor": "x"}'));

    // Assess
    expect([inherited, own]).toEqual([false, true]);
  });
});
