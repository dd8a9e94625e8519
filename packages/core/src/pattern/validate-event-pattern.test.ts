import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../errors.js';
import { compileEventPattern, validateEventPattern } from './event-pattern.js';
import { InvalidEventPatternError } from './invalid-event-pattern-error.js';

type InvalidCase = { name: string; pattern: unknown; reason: RegExp };

const invalid: InvalidCase[] = [
  { name: 'pattern is an array', pattern: [{ source: ['aws.ecr'] }], reason: /^at the top level: the pattern must be a JSON object, got an array/ },
  { name: 'pattern is a string', pattern: '{"source":["aws.ecr"]}', reason: /must be a JSON object, got string/ },
  { name: 'pattern is null', pattern: null, reason: /must be a JSON object, got null/ },
  { name: 'pattern is empty', pattern: {}, reason: /^at the top level: empty objects are not allowed/ },
  { name: 'nested pattern is empty', pattern: { detail: {} }, reason: /^at "detail": empty objects are not allowed/ },
  { name: 'leaf is a bare string', pattern: { source: 'aws.ecr' }, reason: /^at "source": a field must map to a list.*wrap it in a list: \{"source":\["aws.ecr"\]\}/ },
  { name: 'leaf is a bare number', pattern: { detail: { count: 5 } }, reason: /^at "detail.count": .*got number 5/ },
  { name: 'leaf is null', pattern: { detail: { x: null } }, reason: /^at "detail.x": .*got null/ },
  { name: 'leaf is undefined', pattern: { detail: { x: undefined } }, reason: /^at "detail.x": .*got a undefined \(not JSON\)/ },
  { name: 'empty value list', pattern: { source: [] }, reason: /^at "source": empty arrays are not allowed/ },
  { name: 'nested array in value list', pattern: { source: [['aws.ecr']] }, reason: /^at "source\[0\]": a value list cannot contain another array/ },
  { name: 'NaN in value list', pattern: { n: [Number.NaN] }, reason: /NaN is not a JSON number/ },
  { name: 'unknown operator', pattern: { source: [{ contains: 'ecr' }] }, reason: /^at "source\[0\]": unknown operator "contains"; use one of "prefix"/ },
  { name: 'operator object with two operators', pattern: { f: [{ prefix: 'a', suffix: 'b' }] }, reason: /needs exactly one operator, got \["prefix","suffix"\]/ },
  { name: 'operator object with no operator', pattern: { f: [{}] }, reason: /needs exactly one operator, got none/ },
  { name: 'prefix with a number', pattern: { f: [{ prefix: 5 }] }, reason: /"prefix" expects a string or \{"equals-ignore-case"/ },
  { name: 'prefix with an unknown inner operator', pattern: { f: [{ prefix: { wildcard: 'a*' } }] }, reason: /"prefix" expects a string or \{"equals-ignore-case"/ },
  { name: 'suffix with a list', pattern: { f: [{ suffix: ['.png'] }] }, reason: /"suffix" expects a string/ },
  { name: 'equals-ignore-case with a list', pattern: { f: [{ 'equals-ignore-case': ['a'] }] }, reason: /"equals-ignore-case" expects a string, got an array/ },
  { name: 'wildcard with consecutive stars', pattern: { f: [{ wildcard: 'a**b' }] }, reason: /consecutive '\*'/ },
  { name: 'wildcard with a stray backslash', pattern: { f: [{ wildcard: 'a\\b*' }] }, reason: /escapes neither/ },
  { name: 'wildcard with a number', pattern: { f: [{ wildcard: 5 }] }, reason: /"wildcard" expects a string, got number 5/ },
  { name: 'anything-but null', pattern: { f: [{ 'anything-but': null }] }, reason: /"anything-but" expects a string, a number, a list/ },
  { name: 'anything-but boolean', pattern: { f: [{ 'anything-but': true }] }, reason: /"anything-but" expects a string, a number, a list/ },
  { name: 'anything-but empty list', pattern: { f: [{ 'anything-but': [] }] }, reason: /"anything-but" has an empty list/ },
  { name: 'anything-but mixed list', pattern: { f: [{ 'anything-but': ['a', 1] }] }, reason: /only strings or only numbers/ },
  { name: 'anything-but list with null', pattern: { f: [{ 'anything-but': ['a', null] }] }, reason: /only strings or only numbers/ },
  { name: 'anything-but with numeric', pattern: { f: [{ 'anything-but': { numeric: ['>', 1] } }] }, reason: /got keys \["numeric"\]/ },
  { name: 'anything-but with two operators', pattern: { f: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] }, reason: /exactly one of/ },
  { name: 'anything-but empty prefix', pattern: { f: [{ 'anything-but': { prefix: '' } }] }, reason: /"anything-but" "prefix" cannot be empty/ },
  { name: 'anything-but prefix list with an empty prefix', pattern: { f: [{ 'anything-but': { prefix: ['a', ''] } }] }, reason: /"anything-but" "prefix" cannot be empty/ },
  { name: 'anything-but suffix empty list', pattern: { f: [{ 'anything-but': { suffix: [] } }] }, reason: /"anything-but" "suffix" expects a string or a non-empty list of strings/ },
  { name: 'anything-but prefix list of numbers', pattern: { f: [{ 'anything-but': { prefix: [1] } }] }, reason: /"anything-but" "prefix" expects a string or a non-empty list of strings/ },
  { name: 'wildcard too complex', pattern: { EventBusArn: [{ wildcard: '*:*:*:*:*:event-bus/*' }] }, reason: /^at "EventBusArn": the wildcards are too complex for EventBridge \(one value could keep 11 matcher states alive, at most 10\)/ },
  { name: 'anything-but wildcards too complex together', pattern: { f: [{ 'anything-but': { wildcard: ['*a*a*a*a*', '*b*b*b*b*'] } }] }, reason: /^at "f": the wildcards are too complex/ },
  { name: 'wildcards of one field add up', pattern: { f: [{ wildcard: '*:*:*:*:*' }, { wildcard: '*-*-*-*-*' }] }, reason: /^at "f": the wildcards are too complex/ },
  { name: 'array nested past 1000 levels', pattern: { f: [JSON.parse(`${'['.repeat(1001)}${']'.repeat(1001)}`)] }, reason: /^at the top level: the pattern is nested more than 1000 levels deep/ },
  { name: 'anything-but wildcard empty list', pattern: { f: [{ 'anything-but': { wildcard: [] } }] }, reason: /non-empty list of strings/ },
  { name: 'anything-but wildcard invalid', pattern: { f: [{ 'anything-but': { wildcard: ['*/lib/**'] } }] }, reason: /consecutive '\*'/ },
  { name: 'numeric not a list', pattern: { f: [{ numeric: 5 }] }, reason: /"numeric" expects an array, got number 5/ },
  { name: 'numeric wrong length', pattern: { f: [{ numeric: ['>', 0, '<'] }] }, reason: /expects 2 or 4 elements/ },
  { name: 'numeric empty', pattern: { f: [{ numeric: [] }] }, reason: /expects 2 or 4 elements/ },
  { name: 'numeric unknown operator', pattern: { f: [{ numeric: ['!=', 1] }] }, reason: /unknown operator string "!="/ },
  { name: 'numeric string operand', pattern: { f: [{ numeric: ['>', '5'] }] }, reason: /operator ">" needs a JSON number, got string "5"/ },
  { name: 'numeric out of range', pattern: { f: [{ numeric: ['<', 5.1e9] }] }, reason: /out of range; .* -5.0e9 and 5.0e9/ },
  { name: 'numeric = in a range', pattern: { f: [{ numeric: ['=', 1, '<', 5] }] }, reason: /"=" cannot be combined/ },
  { name: 'numeric two lower bounds', pattern: { f: [{ numeric: ['>', 1, '>=', 5] }] }, reason: /two lower bounds/ },
  { name: 'numeric two upper bounds', pattern: { f: [{ numeric: ['<', 1, '<=', 5] }] }, reason: /two upper bounds/ },
  { name: 'numeric empty range', pattern: { f: [{ numeric: ['>', 5, '<', 1] }] }, reason: /range is empty/ },
  { name: 'exists with a string', pattern: { f: [{ exists: 'true' }] }, reason: /"exists" expects true or false, got string "true"/ },
  { name: 'cidr without prefix length', pattern: { ip: [{ cidr: '10.0.0.1' }] }, reason: /"cidr" "10.0.0.1" is not a valid CIDR block/ },
  { name: 'cidr octet over 255', pattern: { ip: [{ cidr: '10.0.0.256/24' }] }, reason: /not a valid CIDR block/ },
  { name: 'cidr IPv4 prefix over 32', pattern: { ip: [{ cidr: '10.0.0.0/33' }] }, reason: /not a valid CIDR block/ },
  { name: 'cidr IPv6 prefix over 128', pattern: { ip: [{ cidr: '2001:db8::/129' }] }, reason: /not a valid CIDR block/ },
  { name: 'cidr IPv6 double ::', pattern: { ip: [{ cidr: '2001::db8::/64' }] }, reason: /not a valid CIDR block/ },
  { name: 'cidr with a number', pattern: { ip: [{ cidr: 10 }] }, reason: /"cidr" expects a string/ },
  { name: '$or with one pattern', pattern: { $or: [{ a: ['x'] }] }, reason: /^at "\$or": "\$or" expects an array of at least 2 patterns, got 1/ },
  { name: '$or not a list', pattern: { $or: { a: ['x'] } }, reason: /"\$or" expects an array of at least 2 patterns, got an object/ },
  { name: '$or entry not an object', pattern: { detail: { $or: [{ a: ['x'] }, ['y']] } }, reason: /^at "detail.\$or\[1\]": each "\$or" entry must be a pattern object/ },
  { name: '$or entry empty', pattern: { $or: [{ a: ['x'] }, {}] }, reason: /^at "\$or\[1\]": empty objects are not allowed/ },
  { name: 'invalid operator inside $or', pattern: { $or: [{ a: ['x'] }, { b: [{ numeric: ['>', 'x'] }] }] }, reason: /^at "\$or\[1\].b\[0\]": "numeric"/ },
  { name: '$or used as an operator', pattern: { a: [{ $or: [{ b: ['1'] }, { c: ['2'] }] }] }, reason: /unknown operator "\$or"/ },
  { name: 'pattern over 4096 characters', pattern: { source: ['x'.repeat(4100)] }, reason: /the pattern is 4\d{3} characters as JSON; EventBridge accepts at most 4096/ },
  { name: 'non-plain object value', pattern: { time: [new Date(0)] }, reason: /^at "time\[0\]": value lists hold strings, numbers, booleans, null or operator objects/ },
];

describe('validateEventPattern', () => {
  it.each(invalid)('rejects $name', ({ pattern, reason }) => {
    // Act
    const check = validateEventPattern(pattern);

    // Assess
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(reason);
  });

  it.each([
    { name: 'every operator at once', pattern: { f: ['a', 1, true, null, { prefix: '' }, { suffix: { 'equals-ignore-case': 'X' } }, { 'equals-ignore-case': 'a' }, { wildcard: '*\\**' }, { 'anything-but': [1, 2] }, { numeric: ['>=', -5e9, '<=', 5e9] }, { exists: true }, { cidr: '::/0' }] } },
    { name: 'a field named like an operator', pattern: { detail: { prefix: ['x'], numeric: ['y'] } } },
    { name: 'exists false alongside values', pattern: { f: [{ exists: false }, 'x'] } },
    { name: 'nested $or', pattern: { detail: { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: [{ exists: false }] }] }] } } },
    { name: 'anything-but with a list of prefixes', pattern: { f: [{ 'anything-but': { prefix: ['a', 'b'] } }] } },
    { name: 'anything-but with a list of suffixes', pattern: { f: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] } },
    { name: 'each of two wildcards on their own', pattern: { f: [{ wildcard: '*:*:*:*:*' }], g: [{ wildcard: '*-*-*-*-*' }] } },
    { name: 'a wildcard just under the complexity limit', pattern: { EventBusArn: [{ wildcard: '*:*:*:*:event-bus/*' }] } },
    { name: 'the guide\'s wildcard on an event bus ARN', pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } },
  ])('accepts $name', ({ pattern }) => {
    // Act
    const check = validateEventPattern(pattern);

    // Assess
    expect(check).toEqual({ ok: true });
  });

  it('throws a user-facing InvalidEventPattern error from compileEventPattern', () => {
    // Prepare
    const pattern = { detail: { 'action-type': 'PUSH' } };

    // Act
    const thrown = (() => {
      try {
        compileEventPattern(pattern);
        return undefined;
      } catch (error) {
        return error;
      }
    })();

    // Assess
    expect(thrown).toBeInstanceOf(InvalidEventPatternError);
    expect(thrown).toBeInstanceOf(UserFacingError);
    expect(thrown).toMatchObject({ code: 'InvalidEventPattern', name: 'InvalidEventPatternError' });
    expect((thrown as Error).message).toBe(
      'Event pattern is not valid: at "detail.action-type": a field must map to a list of values or to a nested pattern, got string "PUSH"; wrap it in a list: {"action-type":["PUSH"]}',
    );
  });

  it('reports a cyclic object as not JSON instead of overflowing the stack', () => {
    // Prepare
    const pattern: Record<string, unknown> = { a: ['x'] };
    pattern['self'] = pattern;

    // Act
    const check = validateEventPattern(pattern);

    // Assess
    expect(check.ok ? '' : check.reason).toMatch(/^at the top level: the pattern is not serialisable as JSON/);
  });
});
