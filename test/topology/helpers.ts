import { readdirSync, readFileSync } from 'node:fs';
import { parseConfigOrThrow, type DockmasterConfig } from '@dockmaster/core/config';

const FIXTURES = new URL('../fixtures/aws-events/', import.meta.url);
const EXAMPLE_CONFIG = new URL('../../docs/examples/dockmaster.example.yaml', import.meta.url);

/** The configuration contract example, through the same loader the workers and the infra use. */
const loadExampleConfig = (): DockmasterConfig =>
  parseConfigOrThrow(readFileSync(EXAMPLE_CONFIG, 'utf8'), 'docs/examples/dockmaster.example.yaml', { now: new Date('2026-01-01') });

/** A copy of the example with some top-level sections replaced (still validated by the schema). */
const exampleConfigWith = (overrides: Partial<DockmasterConfig>): DockmasterConfig => ({ ...loadExampleConfig(), ...overrides });

/** Sample events that parse as JSON: the PARTIAL text and the AWS sample with a trailing comma excepted. */
const listSampleEventFiles = (): string[] =>
  readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.json'))
    .filter((name) => name !== 'ecr-pull-through-cache-action.json')
    .sort();

const readSample = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;

/** A deep copy of a sample with `detail` fields replaced (a field set to undefined is removed). */
const sampleWith = (name: string, changes: { top?: Record<string, unknown>; detail?: Record<string, unknown> }): Record<string, unknown> => {
  const sample = structuredClone(readSample(name));
  const detail = { ...(sample.detail as Record<string, unknown>), ...changes.detail };
  for (const [key, value] of Object.entries(detail)) if (value === undefined) delete detail[key];
  return { ...sample, ...changes.top, detail };
};

export { exampleConfigWith, listSampleEventFiles, loadExampleConfig, readSample, sampleWith };
