/*
 * Edits for property tests that mutate a valid document (the example configuration, a sample event) and check
 * that the reader still answers: paths into a parsed JSON value, a value replaced or removed at one path, and
 * character-level edits of a text. Shared by core's config tests and the repository's reliability tests.
 */

type JsonPath = (string | number)[];

/** Every path inside a JSON value, the root (`[]`) first, so a mutation can pick one. */
const jsonPaths = (value: unknown, path: JsonPath = []): JsonPath[] => {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  return [path, ...children.flatMap(([key, child]) => jsonPaths(child, [...path, key]))];
};

/**
 * A copy of `root` with the value at `path` replaced; `undefined` removes the key (at the root: `null`).
 * `path` must come from jsonPaths of the same value.
 */
const withValueAt = <T>(root: T, path: JsonPath, replacement: T | undefined): T => {
  if (path.length === 0) return replacement ?? (null as T);
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy as T;
};

/** One character-level edit: at `at` (taken modulo the text's length + 1), remove `remove` characters, insert `insert`. */
type TextEdit = { at: number; remove: number; insert: string };

/** The edits applied in turn, each to the result of the one before. */
const applyTextEdits = (text: string, edits: readonly TextEdit[]): string =>
  edits.reduce((current, edit) => {
    const at = edit.at % (current.length + 1);
    return current.slice(0, at) + edit.insert + current.slice(at + edit.remove);
  }, text);

export { applyTextEdits, jsonPaths, withValueAt };
export type { JsonPath, TextEdit };
