/*
 * Patterns are validated by walking them rather than with a zod schema: the grammar is recursive,
 * keys double as field names or operators depending on where they sit, and every rejection must name
 * the exact spot and the fix, as EventBridge's own "Event pattern is not valid" messages do.
 */
import { checkJsonDepth, EventBridgeLimit } from '../limits/index.js';
import { errorMessage } from '../shared/index.js';
import { describeJson, isPlainObject } from './describe-json.js';
import { nestPatternFields, SELF } from './dotted-paths.js';
import { rejectPattern } from './invalid-event-pattern-error.js';
import { compileListEntry } from './operators.js';
import type { CompiledField, CompiledPattern, LeafField, OrField, ValueMatcher } from './types.js';
import { wildcardComplexity } from './wildcard-complexity.js';

const MAX_PATTERN_LENGTH = EventBridgeLimit.PATTERN_LENGTH;

const OR_KEY = '$or';

const child = (where: string, key: string): string => (where === '' ? key : `${where}.${key}`);

/** JSON-encoded event path, so field names containing '.' cannot collide with nested paths. */
const pathKeyOf = (path: readonly string[]): string => JSON.stringify(path);

const compileLeaf = (key: string, list: readonly unknown[], path: readonly string[], where: string): LeafField => {
  if (list.length === 0) rejectPattern(where, 'empty arrays are not allowed; list at least one value, or use [{"exists": true}]');
  const matchers: ValueMatcher[] = [];
  const wildcards: string[] = [];
  let matchesAbsent = false;
  list.forEach((entry, index) => {
    const compiled = compileListEntry(entry, `${where}[${index}]`);
    if (compiled.kind === 'absent') matchesAbsent = true;
    else {
      matchers.push(compiled.matcher);
      wildcards.push(...(compiled.wildcards ?? []));
    }
  });
  const complexity = wildcardComplexity(wildcards);
  if (complexity > EventBridgeLimit.WILDCARD_COMPLEXITY) {
    rejectPattern(
      where,
      `the wildcards are too complex for EventBridge (one value could keep ${Number.isFinite(complexity) ? complexity : 'too many'} matcher states alive, at most ${EventBridgeLimit.WILDCARD_COMPLEXITY}); use fewer '*' or fewer repeated characters after a '*', e.g. spell out the fixed parts of an ARN`,
    );
  }
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

const compileField = (key: string, value: unknown, path: readonly string[], where: string): CompiledField[] => {
  const fieldWhere = child(where, key);
  if (key === OR_KEY) return [compileOr(value, path, fieldWhere)];
  if (Array.isArray(value)) return [compileLeaf(key, value, path, fieldWhere)];
  if (isPlainObject(value)) {
    const nested: CompiledField = { kind: 'object', key, pattern: compileObject(value, [...path, key], fieldWhere) };
    // A value list at the same joined path as these nested fields ("a": [...] and "a.b": [...]) is a field too.
    return Object.hasOwn(value, SELF) ? [...compileField(key, (value as Record<symbol, unknown>)[SELF], path, where), nested] : [nested];
  }
  const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
  const hint = scalar ? `; wrap it in a list: ${JSON.stringify({ [key]: [value] })}` : '';
  return rejectPattern(fieldWhere, `a field must map to a list of values or to a nested pattern, got ${describeJson(value)}${hint}`);
};

const compileObject = (pattern: Record<string, unknown>, path: readonly string[], where: string): CompiledPattern => {
  const keys = Object.keys(pattern);
  if (keys.length === 0) rejectPattern(where, 'empty objects are not allowed; add at least one field to match on');
  return { fields: keys.flatMap((key) => compileField(key, pattern[key], path, where)) };
};

/** Validates a whole pattern and turns it into the structure {@link matchCompiledPattern} evaluates. */
const compilePattern = (pattern: unknown): CompiledPattern => {
  if (!isPlainObject(pattern)) return rejectPattern('', `the pattern must be a JSON object, got ${describeJson(pattern)}`);
  let json = '';
  try {
    json = JSON.stringify(pattern);
  } catch (error) {
    // A cycle is a TypeError; a RangeError (stack overflow) is nesting far too deep, which the depth check names.
    if (!(error instanceof RangeError)) {
      return rejectPattern('', `the pattern is not serialisable as JSON (${errorMessage(error)})`);
    }
  }
  const depth = checkJsonDepth(pattern);
  if (!depth.ok) return rejectPattern('', `the pattern is ${depth.reason}`);
  if (json.length > MAX_PATTERN_LENGTH) {
    rejectPattern('', `the pattern is ${json.length} characters as JSON; EventBridge accepts at most ${MAX_PATTERN_LENGTH} (${EventBridgeLimit.PATTERN_LENGTH_DEFAULT_QUOTA} unless the "Event pattern size" quota is raised); split it into several rules`);
  }
  return compileObject(nestPatternFields(pattern), [], '');
};

export { compilePattern, MAX_PATTERN_LENGTH, pathKeyOf };
