import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { formatConfigIssue, loadConfig, type ConfigLoadResult } from './index.js';

/*
 * Whatever a user types, loading gives a result (never a throw, never a stack trace), and every issue is one
 * line pointing inside the file.
 */

const EXAMPLE = readFileSync(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url), 'utf8');
const NOW = new Date('2026-06-01T00:00:00Z');

const assessResult = (text: string, result: ConfigLoadResult): void => {
  const lineCount = text.split('\n').length;
  if (result.ok) {
    expect(result.config.version).toBe(1);
    return;
  }
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(formatConfigIssue(issue)).not.toContain('\n');
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.line).toBeLessThanOrEqual(lineCount);
    expect(issue.column).toBeGreaterThanOrEqual(1);
    expect(issue.message.length).toBeGreaterThan(0);
  }
};

/** Characters that matter to YAML, plus some that do not. */
const yamlCharacter = fc.constantFrom(' ', '\n', '\t', ':', '-', '"', "'", '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '%', '@', '?', 'a', 'Z', '1', '0', '.', '/');

const textEdit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 5 }),
  insert: fc.string({ unit: yamlCharacter, maxLength: 6 }),
});

const applyEdits = (text: string, edits: readonly { at: number; remove: number; insert: string }[]): string =>
  edits.reduce((current, edit) => {
    const at = edit.at % (current.length + 1);
    return current.slice(0, at) + edit.insert + current.slice(at + edit.remove);
  }, text);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** All paths to values inside the parsed example, so structural mutations can pick one. */
const pathsOf = (value: Json, path: (string | number)[] = []): (string | number)[][] => {
  const children: [string | number, Json][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  return [path, ...children.flatMap(([key, child]) => pathsOf(child, [...path, key]))];
};

const setAt = (root: Json, path: (string | number)[], replacement: Json | undefined): Json => {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let parent = copy;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, Json>;
  const last = path.at(-1) as string | number;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy as Json;
};

describe('loadConfig under random mutations of the example', () => {
  it('always returns a result for character-level edits', () => {
    fc.assert(
      fc.property(fc.array(textEdit, { minLength: 1, maxLength: 4 }), (edits) => {
        // Prepare
        const text = applyEdits(EXAMPLE, edits);

        // Act
        const result = loadConfig(text, 'dockmaster.yaml', { now: NOW });

        // Assess
        assessResult(text, result);
      }),
      { numRuns: 400 },
    );
  });

  it('always returns a result for replaced or removed values', () => {
    const example = parse(EXAMPLE) as Json;
    const paths = pathsOf(example);
    fc.assert(
      fc.property(
        fc.array(fc.record({ path: fc.constantFrom(...paths), value: fc.option(fc.jsonValue() as fc.Arbitrary<Json>, { nil: undefined }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        (mutations) => {
          // Prepare: mutations apply in order; a path a previous mutation removed is skipped.
          const mutated = mutations.reduce<Json>((current, { path, value }) => {
            try {
              return setAt(current, path, value);
            } catch {
              return current;
            }
          }, example);
          const text = stringify(mutated);

          // Act
          const result = loadConfig(text, 'dockmaster.yaml', { now: NOW });

          // Assess
          assessResult(text, result);
        },
      ),
      { numRuns: 300 },
    );
  });
});
