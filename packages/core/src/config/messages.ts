import type { z } from 'zod';
import { quotedExcerpt } from '../shared/index.js';
import { didYouMean } from './suggest.js';

/*
 * Messages for zod's generic issues, worded to follow a config path: "registry.region is required".
 * Passed per parse, so the specific messages written in schema.ts still win (zod: schema error > parse error map).
 */

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
};

const describeValue = (value: unknown): string => {
  if (value === null) return 'an empty value';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string ${quotedExcerpt(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
};

const listValues = (values: readonly unknown[]): string => values.map((value) => String(value)).join(', ');

const tooSmall = (origin: string, minimum: number | bigint, inclusive: boolean | undefined): string => {
  if (origin === 'array') return Number(minimum) <= 1 ? 'must not be empty' : `must have at least ${minimum} entries`;
  if (origin === 'string') return Number(minimum) <= 1 ? 'must not be empty' : `must be at least ${minimum} characters`;
  return `must be ${inclusive === false ? 'greater than' : 'at least'} ${minimum}`;
};

const tooBig = (origin: string, maximum: number | bigint, inclusive: boolean | undefined): string => {
  if (origin === 'array') return `must have at most ${maximum} entries`;
  if (origin === 'string') return `must be at most ${maximum} characters`;
  return `must be ${inclusive === false ? 'less than' : 'at most'} ${maximum}`;
};

const invalidValue = (values: readonly unknown[], input: unknown, key: PropertyKey | undefined): string => {
  const [only] = values;
  // A missing key is not a wrong value: say what to add (`version` is the one required literal).
  if (input === undefined) return values.length === 1 && typeof key === 'string' ? `is required (add ${key}: ${String(only)})` : 'is required';
  if (values.length === 1) {
    const hint = typeof only === 'number' && typeof input === 'string' ? ' (a number: remove the quotes)' : '';
    return `must be ${String(only)}, got ${describeValue(input)}${hint}`;
  }
  const suggestion = typeof input === 'string' ? didYouMean(input, values.map(String), '"') : '';
  return `must be one of ${listValues(values)}, got ${describeValue(input)}${suggestion}`;
};

const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return tooSmall(issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return tooBig(issue.origin, issue.maximum, issue.inclusive);
    case 'invalid_value':
      return invalidValue(issue.values, issue.input, issue.path?.at(-1));
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => quotedExcerpt(key, "'")).join(', ')}`;
    case 'invalid_key':
      return `key ${quotedExcerpt(String(issue.input), "'")} is not allowed: ${issue.issues.map((nested) => nested.message).join('; ')}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return 'is invalid';
  }
};

export { configErrorMap, describeValue };
