import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_ID, renderConfigJsonSchema } from './index.js';

const EXAMPLE_PATH = new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url);
const SCHEMA_PATH = new URL('../../../../docs/config.schema.json', import.meta.url);

const publishedSchema = (): Record<string, unknown> => JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

const validator = () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(publishedSchema());
};

const exampleData = (): Record<string, unknown> => parse(readFileSync(EXAMPLE_PATH, 'utf8')) as Record<string, unknown>;

describe('docs/config.schema.json', () => {
  it('is exactly what the generator writes (run `npm run schema` after changing schema.ts)', () => {
    // Prepare
    const published = readFileSync(SCHEMA_PATH, 'utf8');

    // Act
    const generated = renderConfigJsonSchema();

    // Assess
    expect(published).toBe(generated);
  });

  it('identifies itself as a draft 2020-12 schema with a title', () => {
    // Prepare / Act
    const schema = publishedSchema();

    // Assess
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(CONFIG_SCHEMA_ID);
    expect(schema.title).toBe('Dockmaster configuration');
    expect(schema.required).toEqual(['version', 'registry']);
  });

  it('accepts the documented example', () => {
    // Prepare
    const validate = validator();

    // Act
    const valid = validate(exampleData());

    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('accepts the additions: watchdog, automations and a digest-pinned tag', () => {
    // Prepare
    const validate = validator();
    const data = exampleData() as {
      scanAlerts: Record<string, unknown>;
      pullThroughCache: { prepopulate: { images: { tags: unknown }[] } }[];
      automations?: unknown;
    };
    data.scanAlerts.watchdog = { silentAfterHours: 12 };
    data.automations = { 'tag-policy': { paused: true }, replication: {} };
    const image = data.pullThroughCache[0]?.prepopulate.images[2];
    if (image) image.tags = [`v1.11.1@sha256:${'0'.repeat(64)}`];

    // Act
    const valid = validate(data);

    // Assess
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each([
    { name: 'an unknown key', change: (data: Record<string, unknown>) => Object.assign(data, { forbidenTags: [] }), keyword: 'additionalProperties' },
    { name: 'version 2', change: (data: Record<string, unknown>) => Object.assign(data, { version: 2 }), keyword: 'const' },
    { name: 'a numeric account ID', change: (data: Record<string, unknown>) => Object.assign(data, { registry: { accountId: 111122223333, region: 'eu-central-1' } }), keyword: 'type' },
    { name: 'a missing registry', change: (data: Record<string, unknown>) => { delete data.registry; }, keyword: 'required' },
    { name: 'an unknown severity', change: (data: Record<string, unknown>) => Object.assign(data, { scanAlerts: { minSeverity: 'SEVERE' } }), keyword: 'enum' },
    { name: 'an unknown automation', change: (data: Record<string, unknown>) => Object.assign(data, { automations: { 'scan-alerts': { paused: true } } }), keyword: 'additionalProperties' },
    { name: 'a malformed date', change: (data: Record<string, unknown>) => Object.assign(data, { scanAlerts: { suppressions: [{ cve: 'CVE-1', repositories: ['**'], reason: 'r', expires: '1 March 2027' }] } }), keyword: 'pattern' },
  ])('rejects $name', ({ change, keyword }) => {
    // Prepare
    const validate = validator();
    const data = exampleData();
    change(data);

    // Act
    const valid = validate(data);

    // Assess
    expect(valid).toBe(false);
    expect(validate.errors?.map((error) => error.keyword)).toContain(keyword);
  });
});

describe('docs/config.schema.json size limits', () => {
  it('gives editors the glob (512) and regular expression (1000) length limits validate enforces', () => {
    // Prepare
    const data = exampleData() as { tagPolicies: Record<string, unknown>[] };
    const longGlob = { ...data, tagPolicies: [{ ...data.tagPolicies[0], repositories: ['a'.repeat(513)] }] };
    const longRegex = { ...data, tagPolicies: [{ ...data.tagPolicies[0], allowedTagSchemes: [{ regex: 'a'.repeat(1001) }] }] };
    const validate = validator();

    // Act
    const globOk = validate(longGlob);
    const globErrors = validate.errors?.map((error) => `${error.instancePath} ${error.keyword}`) ?? [];
    const regexOk = validate(longRegex);
    const regexErrors = validate.errors?.map((error) => `${error.instancePath} ${error.keyword}`) ?? [];

    // Assess
    expect(globOk).toBe(false);
    expect(globErrors).toContain('/tagPolicies/0/repositories/0 maxLength');
    expect(regexOk).toBe(false);
    expect(regexErrors).toContain('/tagPolicies/0/allowedTagSchemes/0/regex maxLength');
  });
});
