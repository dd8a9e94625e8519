/*
 * Patterns are validated by walking them rather than with a zod schema: the grammar is recursive,
 * keys double as field names or operators depending on where they sit, and every rejection must name
 * the exact spot and the fix, as EventBridge's own "Event pattern is not valid" messages do.
 */
import { describeJson, isPlainObject } from './describe-json.js';
import { rejectPattern } from './invalid-event-pattern-error.js';
import { compileListEntry } from './operators.js';
import type { CompiledField, CompiledPattern, LeafField, OrField, ValueMatcher } from './types.js';

/** PutRule's limit on EventPattern (the default "Event pattern size" quota is 2048, raisable to this). */
const MAX_PATTERN_LENGTH = 4096;

const OR_KEY = '$or';

const child = (where: string, key: string): string => (where === '' ? key : `${where}.${key}`);

/** JSON-encoded event path, so field names containing '.' cannot collide with nested paths. */
const pathKeyOf = (path: readonly string[]): string => JSON.stringify(path);

const compileLeaf = (key: string, list: readonly unknown[], path: readonly string[], where: string): LeafField => {
  if (list.length === 0) rejectPattern(where, 'empty arrays are not allowed; list at least one value, or use [{"exists": true}]');
  const matchers: ValueMatcher[] = [];
  let matchesAbsent = false;
  list.forEach((entry, index) => {
    const compiled = compileListEntry(entry, `${where}[${index}]`);
    if (compiled.kind === 'absent') matchesAbsent = true;
    else matchers.push(compiled.matcher);
  });
  return { kind: 'leaf', key, pathKey: pathKeyOf([...path, key]), matchers, matchesAbsent };
};

const compileOr = (branches: unknown, path: readonly string[], where: string): OrField => {
  if (!Array.isArray(branches) || branches.length < 2) {
    return rejectPattern(where, `"$or" expects an array of at least 2 patterns, got ${Array.isArray(branches) ? `${branches.length}` : describeJson(branches)}; for example "$or": [{"a": ["x"]}, {"b": ["y"]}]`);
  }
  return {
    kind: 'or',
    branches: branches.map((branch, index) => {
      const branchWhere = `${where}[${index}]`;
      return isPlainObject(branch) ? compileObject(branch, path, branchWhere) : rejectPattern(branchWhere, `each "$or" entry must be a pattern object, got ${describeJson(branch)}`);
    }),
  };
};

const compileField = (key: string, value: unknown, path: readonly string[], where: string): CompiledField => {
  const fieldWhere = child(where, key);
  if (key === OR_KEY) return compileOr(value, path, fieldWhere);
  if (Array.isArray(value)) return compileLeaf(key, value, path, fieldWhere);
  if (isPlainObject(value)) return { kind: 'object', key, pattern: compileObject(value, [...path, key], fieldWhere) };
  const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
  const hint = scalar ? `; wrap it in a list: ${JSON.stringify({ [key]: [value] })}` : '';
  return rejectPattern(fieldWhere, `a field must map to a list of values or to a nested pattern, got ${describeJson(value)}${hint}`);
};

const compileObject = (pattern: Record<string, unknown>, path: readonly string[], where: string): CompiledPattern => {
  const keys = Object.keys(pattern);
  if (keys.length === 0) rejectPattern(where, 'empty objects are not allowed; add at least one field to match on');
  return { fields: keys.map((key) => compileField(key, pattern[key], path, where)) };
};

/** Validates a whole pattern and turns it into the structure {@link matchCompiledPattern} evaluates. */
const compilePattern = (pattern: unknown): CompiledPattern => {
  if (!isPlainObject(pattern)) return rejectPattern('', `the pattern must be a JSON object, got ${describeJson(pattern)}`);
  let json: string;
  try {
    json = JSON.stringify(pattern);
  } catch (error) {
    return rejectPattern('', `the pattern is not serialisable as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (json.length > MAX_PATTERN_LENGTH) {
    rejectPattern('', `the pattern is ${json.length} characters as JSON; EventBridge accepts at most ${MAX_PATTERN_LENGTH} (2048 unless the "Event pattern size" quota is raised); split it into several rules`);
  }
  return compileObject(pattern, [], '');
};

export { compilePattern, MAX_PATTERN_LENGTH, pathKeyOf };
