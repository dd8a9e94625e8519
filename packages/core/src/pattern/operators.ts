import { cidrMatcher, parseCidr } from './cidr.js';
import { describeJson, isPlainObject } from './describe-json.js';
import { rejectPattern } from './invalid-event-pattern-error.js';
import { numbersEqual, parseNumeric } from './numeric.js';
import type { LeafValue, ValueMatcher } from './types.js';
import { parseWildcard, wildcardMatcher } from './wildcard.js';

/**
 * One entry of a value list: a matcher, or `{"exists": false}` which is decided on the field's absence.
 * `wildcards` are the entry's wildcard strings, which the field's complexity check adds up.
 */
type ListEntry = { kind: 'matcher'; matcher: ValueMatcher; wildcards?: readonly string[] } | { kind: 'absent' };

const OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'] as const;
type Operator = (typeof OPERATORS)[number];

const ANYTHING_BUT_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] as const;

const isOperator = (key: string): key is Operator => (OPERATORS as readonly string[]).includes(key);

const lower = (text: string): string => text.toLowerCase();

/** Exact match: same JSON type and value (numbers compare as EventBridge does; "5" never equals 5). */
const exactMatcher = (expected: LeafValue): ValueMatcher => {
  if (typeof expected === 'number') return (value) => typeof value === 'number' && numbersEqual(value, expected);
  return (value) => value === expected;
};

const stringMatcher = (test: (value: string) => boolean): ValueMatcher => (value) => typeof value === 'string' && test(value);

/** Reads `"text"` or `{"equals-ignore-case": "text"}`, the operand forms of prefix and suffix. */
const readAffix = (operator: 'prefix' | 'suffix', operand: unknown, where: string): { text: string; ignoreCase: boolean } => {
  if (typeof operand === 'string') return { text: operand, ignoreCase: false };
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const inner: unknown = operand['equals-ignore-case'];
    if (keys.length === 1 && keys[0] === 'equals-ignore-case' && typeof inner === 'string') return { text: inner, ignoreCase: true };
  }
  return rejectPattern(
    where,
    `"${operator}" expects a string or {"equals-ignore-case": "<string>"}, got ${describeJson(operand)}; for example {"${operator}": "abc"}`,
  );
};

const affixMatcher = (operator: 'prefix' | 'suffix', text: string, ignoreCase: boolean): ValueMatcher => {
  const wanted = ignoreCase ? lower(text) : text;
  return stringMatcher((value) => {
    const candidate = ignoreCase ? lower(value) : value;
    return operator === 'prefix' ? candidate.startsWith(wanted) : candidate.endsWith(wanted);
  });
};

const requireString = (operator: string, operand: unknown, where: string): string =>
  typeof operand === 'string' ? operand : rejectPattern(where, `"${operator}" expects a string, got ${describeJson(operand)}`);

/** Reads a string or a non-empty list of strings (anything-but's prefix, suffix, equals-ignore-case and wildcard). */
const readStringOrList = (operator: string, operand: unknown, where: string): string[] => {
  if (typeof operand === 'string') return [operand];
  if (Array.isArray(operand) && operand.length > 0 && operand.every((item) => typeof item === 'string')) return operand as string[];
  return rejectPattern(where, `"anything-but" "${operator}" expects a string or a non-empty list of strings, got ${describeJson(operand)}`);
};

const compileWildcard = (wildcard: string, where: string): ValueMatcher => {
  const parsed = parseWildcard(wildcard);
  return parsed.ok ? wildcardMatcher(parsed.pieces) : rejectPattern(where, parsed.reason);
};

/**
 * The value(s) anything-but excludes, as a matcher for the excluded values. anything-but then matches
 * every leaf value that is NOT excluded, whatever its type: a number is "anything but" a prefix.
 */
const compileExcluded = (operand: unknown, where: string): ValueMatcher => {
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) return exactMatcher(operand);
  if (Array.isArray(operand)) {
    if (operand.length === 0) return rejectPattern(where, '"anything-but" has an empty list; list at least one value');
    const allStrings = operand.every((item) => typeof item === 'string');
    const allNumbers = operand.every((item) => typeof item === 'number' && Number.isFinite(item));
    if (!allStrings && !allNumbers) {
      return rejectPattern(where, '"anything-but" lists must hold only strings or only numbers (no null, booleans, objects or mixed types)');
    }
    const matchers = (operand as LeafValue[]).map(exactMatcher);
    return (value) => matchers.some((matcher) => matcher(value));
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const [key] = keys;
    if (keys.length !== 1 || key === undefined || !(ANYTHING_BUT_OPERATORS as readonly string[]).includes(key)) {
      return rejectPattern(
        where,
        `"anything-but" takes a value, a list, or exactly one of ${ANYTHING_BUT_OPERATORS.map((item) => `{"${item}": ...}`).join(', ')}; got keys ${JSON.stringify(keys)}`,
      );
    }
    const inner: unknown = operand[key];
    switch (key) {
      case 'prefix':
      case 'suffix': {
        // A list of prefixes (or suffixes) excludes values that start (end) with any of them.
        const texts = readStringOrList(key, inner, where);
        if (texts.includes('')) return rejectPattern(where, `"anything-but" "${key}" cannot be empty; remove the "" entry`);
        const matchers = texts.map((text) => affixMatcher(key, text, false));
        return (value) => matchers.some((matcher) => matcher(value));
      }
      case 'equals-ignore-case': {
        const wanted = new Set(readStringOrList(key, inner, where).map(lower));
        return stringMatcher((value) => wanted.has(lower(value)));
      }
      default: {
        const matchers = readStringOrList(key, inner, where).map((wildcard) => compileWildcard(wildcard, where));
        return (value) => matchers.some((matcher) => matcher(value));
      }
    }
  }
  return rejectPattern(where, `"anything-but" expects a string, a number, a list of either, or an object such as {"prefix": "abc"}; got ${describeJson(operand)}`);
};

/** The wildcards of `{"anything-but": {"wildcard": ...}}` (already validated by compileExcluded). */
const excludedWildcards = (operand: unknown): string[] => {
  if (!isPlainObject(operand)) return [];
  const inner: unknown = operand['wildcard'];
  if (typeof inner === 'string') return [inner];
  return Array.isArray(inner) ? inner.filter((item): item is string => typeof item === 'string') : [];
};

const compileOperator = (operator: Operator, operand: unknown, where: string): ListEntry => {
  switch (operator) {
    case 'prefix':
    case 'suffix': {
      const { text, ignoreCase } = readAffix(operator, operand, where);
      return { kind: 'matcher', matcher: affixMatcher(operator, text, ignoreCase) };
    }
    case 'equals-ignore-case': {
      const wanted = lower(requireString(operator, operand, where));
      return { kind: 'matcher', matcher: stringMatcher((value) => lower(value) === wanted) };
    }
    case 'wildcard': {
      const wildcard = requireString(operator, operand, where);
      return { kind: 'matcher', matcher: compileWildcard(wildcard, where), wildcards: [wildcard] };
    }
    case 'anything-but': {
      const excluded = compileExcluded(operand, where);
      return { kind: 'matcher', matcher: (value) => !excluded(value), wildcards: excludedWildcards(operand) };
    }
    case 'numeric': {
      const parsed = parseNumeric(operand);
      return parsed.ok ? { kind: 'matcher', matcher: parsed.matcher } : rejectPattern(where, parsed.reason);
    }
    case 'exists':
      if (typeof operand !== 'boolean') return rejectPattern(where, `"exists" expects true or false, got ${describeJson(operand)}`);
      return operand ? { kind: 'matcher', matcher: () => true } : { kind: 'absent' };
    case 'cidr': {
      const range = parseCidr(requireString(operator, operand, where));
      if (!range) {
        return rejectPattern(where, `"cidr" ${JSON.stringify(operand)} is not a valid CIDR block; write an address and a prefix length such as "10.0.0.0/24" or "2001:db8::/32"`);
      }
      return { kind: 'matcher', matcher: cidrMatcher(range) };
    }
  }
};

/** Compiles one entry of a field's value list: a JSON scalar (exact match) or a one-key operator object. */
const compileListEntry = (entry: unknown, where: string): ListEntry => {
  if (entry === null || typeof entry === 'string' || typeof entry === 'boolean') return { kind: 'matcher', matcher: exactMatcher(entry) };
  if (typeof entry === 'number') {
    return Number.isFinite(entry) ? { kind: 'matcher', matcher: exactMatcher(entry) } : rejectPattern(where, `${entry} is not a JSON number`);
  }
  if (Array.isArray(entry)) return rejectPattern(where, 'a value list cannot contain another array; flatten it into one list');
  if (!isPlainObject(entry)) return rejectPattern(where, `value lists hold strings, numbers, booleans, null or operator objects, got ${describeJson(entry)}`);
  const keys = Object.keys(entry);
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) {
    return rejectPattern(where, `an operator object needs exactly one operator, got ${keys.length === 0 ? 'none' : JSON.stringify(keys)}; combine conditions with separate list entries (OR) or "$or"`);
  }
  if (!isOperator(key)) {
    return rejectPattern(where, `unknown operator ${JSON.stringify(key)}; use one of ${OPERATORS.map((item) => `"${item}"`).join(', ')}`);
  }
  return compileOperator(key, entry[key], where);
};

export { compileListEntry, OPERATORS };
export type { ListEntry, Operator };
