/** An EventBridge event pattern as parsed JSON: field names mapped to value lists, nested patterns or `$or`. */
type EventPattern = Record<string, unknown>;

/** Result of validating a pattern; `reason` says where the pattern is wrong and how to fix it. */
type PatternCheck = { ok: true } | { ok: false; reason: string };

/** What EventBridge treats as a leaf of an event: JSON scalars (`null` included). */
type LeafValue = string | number | boolean | null;

/** Decides whether one leaf value of the event satisfies one entry of a pattern's value list. */
type ValueMatcher = (value: LeafValue) => boolean;

/** A field whose pattern is a value list, e.g. `"action-type": ["PUSH", {"prefix": "DEL"}]`. */
type LeafField = {
  kind: 'leaf';
  key: string;
  /** Event path of the field, JSON-encoded, to look it up among the event's leaf paths. */
  pathKey: string;
  matchers: readonly ValueMatcher[];
  /** The list contains `{"exists": false}`. */
  matchesAbsent: boolean;
};

/** A field whose pattern is a nested pattern, e.g. `"detail": {...}`. */
type ObjectField = { kind: 'object'; key: string; pattern: CompiledPattern };

/** An `$or` of at least two patterns that apply at the same level. */
type OrField = { kind: 'or'; branches: readonly CompiledPattern[] };

type CompiledField = LeafField | ObjectField | OrField;

/** A validated pattern object: every field must match (logical AND). */
type CompiledPattern = { fields: readonly CompiledField[] };

export type { CompiledField, CompiledPattern, EventPattern, LeafField, LeafValue, ObjectField, OrField, PatternCheck, ValueMatcher };
