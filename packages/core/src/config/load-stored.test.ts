import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonPaths, withValueAt } from '../testing/index.js';
import { parseCompactJsonConfig, parseConfigOrThrow, parseStoredConfig } from './index.js';

/*
 * parseStoredConfig must be parseConfigOrThrow with a shortcut: for any text the same configuration or the same
 * error. parseConfigOrThrow (the YAML loader) is the oracle throughout.
 */

const EXAMPLE = readFileSync(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url), 'utf8');
const FILE = 'ssm:/dockmaster/test/config';

/** What the deploy writes to SSM (infra/load-config.ts): the file's data as compact JSON. */
const storedForm = (yamlText: string): string => JSON.stringify(parse(yamlText));

type Outcome = { ok: true; config: unknown } | { ok: false; name: string; message: string; issues: unknown };

const outcomeOf = async (load: () => unknown): Promise<Outcome> => {
  try {
    return { ok: true, config: await load() };
  } catch (error) {
    const { name, message, issues } = error as Error & { issues?: unknown };
    return { ok: false, name, message, issues };
  }
};

const bothLoaders = async (text: string) => ({
  stored: await outcomeOf(() => parseStoredConfig(text, FILE)),
  yaml: await outcomeOf(() => parseConfigOrThrow(text, FILE)),
});

describe('parseCompactJsonConfig', () => {
  it('reads the form the deploy stores without the YAML loader, to the same configuration', () => {
    // Prepare
    const text = storedForm(EXAMPLE);

    // Act
    const config = parseCompactJsonConfig(text);

    // Assess
    expect(config).toBeDefined();
    expect(config).toEqual(parseConfigOrThrow(text, FILE));
    expect(config).toEqual(parseConfigOrThrow(EXAMPLE, FILE));
  });

  const notFastPath: [string, string][] = [
    ['YAML', EXAMPLE],
    ['indented JSON', JSON.stringify(parse(EXAMPLE), null, 2)],
    ['JSON with a duplicate key (JSON.parse keeps the last, YAML reports it)', storedForm(EXAMPLE).replace('{"version":1,', '{"version":1,"version":1,')],
    ['an empty text', ''],
    ['a JSON list', '[]'],
    ['another configuration version', storedForm(EXAMPLE).replace('"version":1', '"version":2')],
    ['an unknown key', storedForm(EXAMPLE).replace('"version":1,', '"version":1,"verison":1,')],
    ['a cross-field problem (duplicate tag policy name)', JSON.stringify({ ...(parse(EXAMPLE) as object), tagPolicies: [...(parse(EXAMPLE) as { tagPolicies: unknown[] }).tagPolicies, ...(parse(EXAMPLE) as { tagPolicies: unknown[] }).tagPolicies] })],
  ];

  it.each(notFastPath)('leaves %s to the YAML loader', (_name, text) => {
    // Act
    const config = parseCompactJsonConfig(text);

    // Assess
    expect(config).toBeUndefined();
  });
});

describe('parseStoredConfig', () => {
  it.each([['the stored form', storedForm(EXAMPLE)], ['YAML as written', EXAMPLE]])('returns what parseConfigOrThrow returns for %s', async (_name, text) => {
    // Act
    const { stored, yaml } = await bothLoaders(text);

    // Assess
    expect(stored.ok).toBe(true);
    expect(stored).toEqual(yaml);
  });

  it('reports a duplicate key in JSON exactly as the YAML loader does, at its line and column', async () => {
    // Prepare
    const text = storedForm(EXAMPLE).replace('{"version":1,', '{"version":1,"version":1,');

    // Act
    const { stored, yaml } = await bothLoaders(text);

    // Assess
    expect(stored.ok).toBe(false);
    expect(stored).toEqual(yaml);
    expect(stored.ok ? '' : stored.message).toContain("duplicate key 'version'");
  });

  it('throws the same ConfigInvalidError as parseConfigOrThrow for an invalid stored configuration', async () => {
    // Prepare
    const text = storedForm(EXAMPLE).replace('"version":1,', '"version":1,"verison":1,');

    // Act
    const { stored, yaml } = await bothLoaders(text);

    // Assess
    expect(stored).toEqual(yaml);
    expect(stored.ok ? '' : stored.name).toBe('ConfigInvalidError');
    expect(stored.ok ? '' : stored.message).toContain("unknown key 'verison'");
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Text YAML and JSON might read differently: escapes, line and paragraph separators, BOM, C1 controls, astral characters. */
const trickyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u2028', '\u2029', '\ufeff', '\u0085', '\u0080', '\t', '\n', '"', '\\', '/', '#', ': ', '\ud83d\ude00', '\ud800', 'a', '-', '1'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 8,
});

describe('parseStoredConfig under random changes of the stored form', () => {
  it('always gives the same configuration or the same error as parseConfigOrThrow', async () => {
    const example = parse(EXAMPLE) as Json;
    const paths = jsonPaths(example);
    const replacement = fc.oneof(trickyString as fc.Arbitrary<Json>, fc.jsonValue() as fc.Arbitrary<Json>);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ path: fc.constantFrom(...paths), value: replacement }), { minLength: 1, maxLength: 2 }), async (changes) => {
        // Prepare: a change under a path an earlier change replaced is skipped.
        const changed = changes.reduce<Json>((current, { path, value }) => {
          try {
            return withValueAt(current, path, value);
          } catch {
            return current;
          }
        }, example);
        const text = JSON.stringify(changed);

        // Act
        const { stored, yaml } = await bothLoaders(text);

        // Assess
        expect(stored).toEqual(yaml);
      }),
      { numRuns: 300 },
    );
  });

  it('reads strings in the configuration the same way as the YAML loader', async () => {
    // Prepare: an exemption's reason is free text in a valid configuration, so these reach the success path.
    const example = parse(EXAMPLE) as Json;
    const reason = ['tagPolicies', 0, 'exemptions', 0, 'reason'];
    await fc.assert(
      fc.asyncProperty(trickyString.filter((value) => value.length > 0), async (value) => {
        const text = JSON.stringify(withValueAt(example, reason, value));

        // Act
        const { stored, yaml } = await bothLoaders(text);

        // Assess
        expect(stored).toEqual(yaml);
      }),
      { numRuns: 300 },
    );
  });
});
