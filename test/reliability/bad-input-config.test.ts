import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureIo, main } from '@dockmaster/cli/testing';
import { formatConfigIssue, loadConfig } from '@dockmaster/core/config';
import { applyTextEdits, jsonPaths } from '@dockmaster/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG } from '../support/paths.js';
import { mutateAt, mutation, yamlEdit } from './support/garbage.js';

/*
 * Random damage to the example configuration, fed to loadConfig and to `dockmaster validate` in-process.
 * Whatever the text, loading returns a result, validate exits 0 (valid) or 1 (invalid) with one
 * `<file>:<line>:<col>` line per problem, and nobody ever sees a stack trace or an internal error.
 */

const EXAMPLE = readFileSync(EXAMPLE_CONFIG, 'utf8');
const EXAMPLE_DATA: unknown = parse(EXAMPLE);
const STACK_TRACE = /\n\s+at \S/;
const RUNS = 120;

let dir: string;
let fileNumber = 0;

/** Text edits anywhere (YAML syntax included), or one structural mutation of the parsed example. */
const damagedConfig = fc.oneof(
  fc.array(yamlEdit, { minLength: 1, maxLength: 4 }).map((edits) => applyTextEdits(EXAMPLE, edits)),
  fc.record({ path: fc.nat(), change: mutation }).map(({ path: pick, change }) => {
    const paths = jsonPaths(EXAMPLE_DATA);
    return stringify(mutateAt(EXAMPLE_DATA, paths[pick % paths.length] ?? [], change));
  }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

const validate = async (text: string) => {
  fileNumber += 1;
  const file = path.join(dir, `config-${fileNumber}.yaml`);
  await writeFile(file, text);
  const { io, out, err } = captureIo();
  const code = await main(['validate', file], io);
  return { file, code, out: out.join('\n'), err: err.join('\n'), lines: out };
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dockmaster-bad-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('damaged configuration', () => {
  it('loadConfig returns a result for any text, each issue one line inside the file', () => {
    fc.assert(
      fc.property(damagedConfig, (text) => {
        // Act
        const result = loadConfig(text, 'dockmaster.yaml');

        // Assess
        if (result.ok) return;
        const lineCount = text.split('\n').length;
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) {
          expect(formatConfigIssue(issue)).not.toContain('\n');
          expect(issue.message.trim()).not.toBe('');
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(lineCount);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('`dockmaster validate` exits 0 or 1 with located problems, never an internal error or a stack trace', async () => {
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(damagedConfig, async (text) => {
        // Act
        const result = await validate(text);

        // Assess
        expect([0, 1]).toContain(result.code);
        expect(`${result.out}\n${result.err}`).not.toMatch(STACK_TRACE);
        expect(result.err).not.toContain('internal error');
        expect(result.code === 0).toBe(loadConfig(text, result.file).ok);
        if (result.code === 0) {
          expect(result.out).toContain(`${result.file} is valid`);
          return;
        }
        invalid += 1;
        expect(result.lines.length).toBeGreaterThan(0);
        for (const line of result.lines) expect(line.startsWith(`${result.file}:`)).toBe(true);
        expect(result.err).toContain('problem(s) found by reading and checking the file (validate calls no AWS API)');
      }),
      { numRuns: RUNS },
    );

    // Assess: the damage mostly broke the file (the property is about invalid input).
    expect(invalid).toBeGreaterThan(RUNS / 2);
  });
});
