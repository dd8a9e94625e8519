import { isRecord } from '../shared/index.js';
import { pathKeyOf } from './compile-pattern.js';
import { SELF } from './dotted-paths.js';
import type { CompiledField, CompiledPattern, LeafValue } from './types.js';

type JsonObject = Record<string, unknown>;

/** The value an event holds at an object's own path when a dotted name put one there (see dotted-paths). */
const selfOf = (value: JsonObject): unknown => (Object.hasOwn(value, SELF) ? (value as Record<symbol, unknown>)[SELF] : undefined);

const isLeaf = (value: unknown): value is LeafValue =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Own properties only: an event field named "constructor" or "__proto__" is data, not a prototype member. */
const fieldOf = (node: JsonObject | undefined, key: string): unknown => (node !== undefined && Object.hasOwn(node, key) ? node[key] : undefined);

/** The leaf values of a field: arrays (nested too) stand for each of their scalar elements. */
const leafValuesOf = (value: unknown): LeafValue[] => {
  if (isLeaf(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(leafValuesOf);
  return isRecord(value) ? leafValuesOf(selfOf(value)) : [];
};

/** The objects a nested pattern applies to: the object itself, or each object inside (nested) arrays. */
const objectsOf = (value: unknown): JsonObject[] => {
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  return isRecord(value) ? [value, ...objectsOf(selfOf(value))] : [];
};

/** Every path that holds at least one leaf value: what EventBridge's `exists` sees. */
const leafPathsOf = (event: JsonObject): Set<string> => {
  const paths = new Set<string>();
  const visit = (value: unknown, path: readonly string[]): void => {
    if (isLeaf(value)) paths.add(pathKeyOf(path));
    else if (Array.isArray(value)) value.forEach((item) => visit(item, path));
    else if (isRecord(value)) {
      Object.entries(value).forEach(([key, item]) => visit(item, [...path, key]));
      visit(selfOf(value), path);
    }
  };
  visit(event, []);
  return paths;
};

/**
 * Evaluates a compiled pattern against an event the way EventBridge does:
 * - a value list is an OR; a field holding an array matches when any of its elements matches;
 * - all fields taken from one array of objects must come from the SAME element (EventBridge's array
 *   consistency), hence a nested pattern is tried against one element at a time;
 * - `exists: false` holds when no leaf value sits at that path anywhere in the event, so a field that
 *   is an object, an empty array or missing counts as absent.
 */
const matchCompiledPattern = (pattern: CompiledPattern, event: unknown): boolean => {
  if (!isRecord(event)) return false;
  let leafPaths: Set<string> | undefined;
  const isAbsent = (pathKey: string): boolean => !(leafPaths ??= leafPathsOf(event)).has(pathKey);

  const matchObject = (compiled: CompiledPattern, node: JsonObject | undefined): boolean =>
    compiled.fields.every((field) => matchField(field, node));

  const matchField = (field: CompiledField, node: JsonObject | undefined): boolean => {
    switch (field.kind) {
      case 'leaf': {
        const values = leafValuesOf(fieldOf(node, field.key));
        if (values.some((value) => field.matchers.some((matcher) => matcher(value)))) return true;
        return field.matchesAbsent && isAbsent(field.pathKey);
      }
      case 'object': {
        const objects = objectsOf(fieldOf(node, field.key));
        // With no object to descend into, only absence conditions can still hold.
        return objects.length === 0 ? matchObject(field.pattern, undefined) : objects.some((object) => matchObject(field.pattern, object));
      }
      case 'or':
        return field.branches.some((branch) => matchObject(branch, node));
    }
  };

  return matchObject(pattern, event);
};

export { matchCompiledPattern };
