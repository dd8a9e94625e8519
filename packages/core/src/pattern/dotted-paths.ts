/*
 * EventBridge joins the field names of a path with '.' when it compiles a pattern ("Considerations when
 * creating event patterns"): `{"detail": {"state.status": [...]}}` and `{"detail": {"state": {"status": [...]}}}`
 * are the same pattern, and an event field named "state.status" sits at the same path as `state: {status}`.
 * Both sides are therefore brought to the nested form before matching: a name with dots becomes nested
 * objects, merged with the objects already there. Joined paths can make one path both a value and an object
 * (`"a": 1` next to `"a.b": 2`); the nested form keeps the value on the object under the SELF symbol, which
 * the compiler and the matcher read as "the value at this very path".
 */
import { isPlainObject } from './describe-json.js';

type JsonObject = Record<string | symbol, unknown>;

/** The value (event) or value list (pattern) sitting at the same path as an object's fields. */
const SELF: unique symbol = Symbol('value at this path');

const OR_KEY = '$or';

/** Own-property write, so a field named "__proto__" stays data. */
const setOwn = (target: JsonObject, key: string | symbol, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
};

const own = (target: JsonObject, key: string | symbol): unknown => (Object.hasOwn(target, key) ? target[key] : undefined);

/**
 * A pattern in nested form. A path given twice as a value list keeps the LAST list, as EventBridge does for a
 * field given twice; objects under one path are merged; a list and an object at one path are both kept.
 */
const nestPatternFields = (pattern: Record<string, unknown>): JsonObject => {
  const result: JsonObject = {};
  const place = (target: JsonObject, segments: readonly string[], value: unknown): void => {
    const [head, ...rest] = segments as [string, ...string[]];
    const existing = own(target, head);
    if (rest.length > 0) {
      if (isPlainObject(existing)) place(existing, rest, value);
      else {
        const created: JsonObject = {};
        if (existing !== undefined) setOwn(created, SELF, existing);
        setOwn(target, head, created);
        place(created, rest, value);
      }
      return;
    }
    if (isPlainObject(existing) && isPlainObject(value)) {
      for (const key of Object.keys(value)) place(existing, [key], value[key]);
      if (Object.hasOwn(value, SELF)) setOwn(existing, SELF, (value as JsonObject)[SELF]);
    } else if (isPlainObject(existing)) {
      setOwn(existing, SELF, value);
    } else if (isPlainObject(value) && existing !== undefined) {
      if (!Object.hasOwn(value, SELF)) setOwn(value, SELF, existing);
      setOwn(target, head, value);
    } else {
      setOwn(target, head, value);
    }
  };
  for (const [key, value] of Object.entries(pattern)) {
    let nested = value;
    if (key === OR_KEY && Array.isArray(value)) nested = value.map((branch) => (isPlainObject(branch) ? nestPatternFields(branch) : branch));
    else if (isPlainObject(value)) nested = nestPatternFields(value);
    place(result, key === OR_KEY ? [key] : key.split('.'), nested);
  }
  return result;
};

/** Both values, as one list of candidates (arrays are flattened one level, like EventBridge's array matching). */
const bothValues = (first: unknown, second: unknown): unknown[] => [
  ...(Array.isArray(first) ? first : [first]),
  ...(Array.isArray(second) ? second : [second]),
];

/** A copy of a nested-form event value (SELF included), for merging one value into several array elements. */
const copyNested = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(copyNested);
  if (!isPlainObject(value)) return value;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) setOwn(copy, key, copyNested(value[key]));
  if (Object.hasOwn(value, SELF)) setOwn(copy, SELF, copyNested((value as JsonObject)[SELF]));
  return copy;
};

const holdsObject = (value: unknown): boolean => Array.isArray(value) && value.some((item) => isPlainObject(item) || holdsObject(item));

/**
 * Merges `object` into every object of `array` (nested arrays too): fields outside an array belong with each
 * of its elements, so EventBridge's array consistency still sees them together.
 */
const spreadInto = (array: readonly unknown[], object: JsonObject): void => {
  for (const item of array) {
    if (Array.isArray(item)) spreadInto(item, object);
    else if (isPlainObject(item)) mergeObjects(item, copyNested(object) as JsonObject);
  }
};

/** Adds `value` at `key`: objects merge, and a value meeting an object is kept as the object's SELF. */
const mergeEventField = (target: JsonObject, key: string, value: unknown): void => {
  if (!Object.hasOwn(target, key)) {
    setOwn(target, key, value);
    return;
  }
  const existing = target[key];
  if (isPlainObject(existing) && isPlainObject(value)) mergeObjects(existing, value);
  else if (isPlainObject(value) && holdsObject(existing)) spreadInto(existing as unknown[], value);
  else if (isPlainObject(existing) && holdsObject(value)) {
    spreadInto(value as unknown[], existing);
    setOwn(target, key, value);
  } else if (isPlainObject(existing)) {
    setOwn(existing, SELF, Object.hasOwn(existing, SELF) ? bothValues((existing as JsonObject)[SELF], value) : value);
  } else if (isPlainObject(value)) {
    setOwn(value, SELF, Object.hasOwn(value, SELF) ? bothValues(existing, (value as JsonObject)[SELF]) : existing);
    setOwn(target, key, value);
  } else {
    // Two values at one path: EventBridge-GUESS, both are candidates, as the elements of an array are.
    setOwn(target, key, bothValues(existing, value));
  }
};

/** Merges the fields (and SELF) of `source` into `target`. */
function mergeObjects(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(source)) mergeEventField(target, key, source[key]);
  if (Object.hasOwn(source, SELF)) {
    const value = source[SELF];
    setOwn(target, SELF, Object.hasOwn(target, SELF) ? bothValues(target[SELF], value) : value);
  }
}

/**
 * An event in nested form (a new object; the event is not modified). Callers bound the depth first
 * (EventBridgeLimit.JSON_DEPTH), so the recursion is bounded.
 */
const nestEventFields = (event: unknown): unknown => {
  if (Array.isArray(event)) return event.map(nestEventFields);
  if (!isPlainObject(event)) return event;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(event)) {
    const [head, ...rest] = key.split('.') as [string, ...string[]];
    let nested = nestEventFields(value);
    for (const segment of rest.reverse()) {
      const wrapper: JsonObject = {};
      setOwn(wrapper, segment, nested);
      nested = wrapper;
    }
    mergeEventField(result, head, nested);
  }
  return result;
};

/** True when some field name of the event holds a '.', i.e. when nesting could change it. */
const hasDottedName = (value: unknown): boolean => {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isPlainObject(node)) {
      for (const [key, inner] of Object.entries(node)) {
        if (key.includes('.')) return true;
        stack.push(inner);
      }
    }
  }
  return false;
};

export { hasDottedName, nestEventFields, nestPatternFields, SELF };
