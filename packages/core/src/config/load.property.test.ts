import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { applyTextEdits, jsonPaths, withValueAt } from '../testing/index.js';
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

describe('loadConfig under random mutations of the example', () => {
  it('always returns a result for character-level edits', () => {
    fc.assert(
      fc.property(fc.array(textEdit, { minLength: 1, maxLength: 4 }), (edits) => {
        // Prepare
        const text = applyTextEdits(EXAMPLE, edits);

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
    const paths = jsonPaths(example);
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
              return withValueAt(current, path, value);
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
