/*
 * Wildcards are matched by hand instead of through a RegExp: with only `*` there is no need for a
 * regex engine, and a greedy left-to-right scan cannot backtrack catastrophically on long values.
 */
import type { ValueMatcher } from './types.js';

/** The literal pieces between `*`s: "a*b*" -> ["a", "b", ""]. */
type WildcardParse = { ok: true; pieces: readonly string[] } | { ok: false; reason: string };

/** Splits a wildcard on unescaped `*`; `\*` is a literal star and `\\` a literal backslash. */
const parseWildcard = (wildcard: string): WildcardParse => {
  const pieces: string[] = [];
  let current = '';
  let previousWasStar = false;
  for (let index = 0; index < wildcard.length; index += 1) {
    const char = wildcard[index];
    if (char === '\\') {
      const next = wildcard[index + 1];
      if (next !== '*' && next !== '\\') {
        return { ok: false, reason: `wildcard ${JSON.stringify(wildcard)} has a '\\' at position ${index} that escapes neither '*' nor '\\'; write "\\\\*" in JSON for a literal star` };
      }
      current += next;
      index += 1;
      previousWasStar = false;
    } else if (char === '*') {
      if (previousWasStar) {
        return { ok: false, reason: `wildcard ${JSON.stringify(wildcard)} has consecutive '*' characters, which EventBridge rejects; use a single '*'` };
      }
      pieces.push(current);
      current = '';
      previousWasStar = true;
    } else {
      current += char;
      previousWasStar = false;
    }
  }
  pieces.push(current);
  return { ok: true, pieces };
};

/** True when `text` matches the wildcard's pieces (`*` matches any run of characters, '/' included). */
const matchesPieces = (pieces: readonly string[], text: string): boolean => {
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return text === first;
  const last = pieces[pieces.length - 1] ?? '';
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  const end = text.length - last.length;
  let position = first.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = text.indexOf(piece, position);
    if (found < 0 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
};

/** Matches string values against the parsed wildcard pieces. */
const wildcardMatcher = (pieces: readonly string[]): ValueMatcher => (value) => typeof value === 'string' && matchesPieces(pieces, value);

export { parseWildcard, wildcardMatcher };
export type { WildcardParse };
