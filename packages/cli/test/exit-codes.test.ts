import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CODES, ExitCode } from '../src/constants.js';
import type { CliIo } from '../src/io.js';
import { main } from '../src/main.js';
import { EXAMPLE_CONFIG, fromRoot, runCli, sampleEvent, scratch } from './support/cli.js';

/*
 * One exit-code table (constants.ts EXIT_CODES) for every command, shown unchanged in docs/cli.md, and one test
 * per row through the real `main`: the table is what commands do, not only what the docs say.
 */

const write = scratch('exit-codes');
const EXAMPLES_DIRECTORY = fromRoot('docs/examples');
/** A config with a typo in a key: read and judged invalid. */
const TYPO_CONFIG = write('typo.yaml', readFileSync(EXAMPLE_CONFIG, 'utf8').replace('forbiddenTags:', 'forbidenTags:'));
const PUSH_EVENT = sampleEvent('ecr-image-action-push-success.json');
const SCAN_EVENT = sampleEvent('ecr-image-scan-basic-complete.json');
const stateDir = mkdtempSync(path.join(tmpdir(), 'dockmaster-exit-codes-state-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

/** Every command that reads a configuration, with the rest of a valid invocation around `--config <file>`. */
const WITH_CONFIG: ReadonlyArray<[string, (config: string) => string[]]> = [
  ['validate', (config) => ['validate', config]],
  ['check-tag', (config) => ['check-tag', '--config', config, 'prod/payments/api:1.4.2']],
  ['explain', (config) => ['explain', '--config', config, PUSH_EVENT]],
  ['render-policy', (config) => ['render-policy', '--config', config, '--repository', 'k8s/pause']],
  ['render-alert', (config) => ['render-alert', '--config', config, SCAN_EVENT]],
  ['rewrite-image', (config) => ['rewrite-image', '--config', config, 'registry.k8s.io/pause:3.10']],
  ['render-rewrite', (config) => ['render-rewrite', '--config', config, '--format', 'kyverno']],
  ['prepopulate', (config) => ['prepopulate', '--config', config, '--registry', 'http://127.0.0.1:9', '--dry-run']],
  ['local up', (config) => ['local', 'up', '--config', config]],
  ['local up --detach', (config) => ['local', 'up', '--detach', '--config', config]],
];

/** Every other file a command reads, pointed at a directory. */
const OTHER_FILES: ReadonlyArray<[string, string[], string]> = [
  ['explain <event.json>', ['explain', '--config', EXAMPLE_CONFIG, EXAMPLES_DIRECTORY], 'event'],
  ['test-pattern <pattern.json>', ['test-pattern', EXAMPLES_DIRECTORY, PUSH_EVENT], 'event pattern'],
  ['render-policy --existing', ['render-policy', '--config', EXAMPLE_CONFIG, '--repository', 'k8s/pause', '--existing', EXAMPLES_DIRECTORY], 'existing repository policy'],
  ['render-alert --findings', ['render-alert', '--config', EXAMPLE_CONFIG, '--findings', EXAMPLES_DIRECTORY, SCAN_EVENT], 'DescribeImageScanFindings response'],
  ['local scan --findings', ['local', 'scan', 'prod/payments/api:1.4.2', '--findings', EXAMPLES_DIRECTORY], 'scan findings (DescribeImageScanFindings JSON)'],
  ['sync --state', ['sync', '--from', 'http://127.0.0.1:9', '--to', 'http://127.0.0.1:10', '--repository', 'team/app', '--state', EXAMPLES_DIRECTORY], 'sync state'],
];

/** `main` with the local stack's state in a scratch directory, so `local up` never sees a developer's stack. */
const runWithState = async (argv: string[]) => {
  const previous = process.env.DOCKMASTER_STATE_DIR;
  process.env.DOCKMASTER_STATE_DIR = stateDir;
  try {
    return await runCli(argv);
  } finally {
    if (previous === undefined) delete process.env.DOCKMASTER_STATE_DIR;
    else process.env.DOCKMASTER_STATE_DIR = previous;
  }
};

describe('the exit-code table', () => {
  it('is the table docs/cli.md shows', () => {
    // Prepare
    const docs = readFileSync(fromRoot('docs/cli.md'), 'utf8');

    // Act
    const rows = [...docs.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map(([, code, meaning]) => ({ code: Number(code), meaning }));

    // Assess
    expect(rows).toEqual(Object.values(EXIT_CODES).map(({ code, meaning }) => ({ code, meaning })));
  });

  it(`${ExitCode.Ok}: done (a valid configuration)`, async () => {
    // Act
    const result = await runCli(['validate', EXAMPLE_CONFIG]);

    // Assess
    expect(result.code).toBe(EXIT_CODES.Ok.code);
  });

  it.each(WITH_CONFIG)(`${ExitCode.Failed}: judged and failed: %s with an invalid configuration`, async (_command, argv) => {
    // Act
    const result = await runWithState(argv(TYPO_CONFIG));

    // Assess
    expect(result.code).toBe(EXIT_CODES.Failed.code);
    expect(`${result.stdout}\n${result.stderr}`).toContain("unknown key 'forbidenTags' (did you mean 'forbiddenTags'?)");
  });

  it.each(WITH_CONFIG)(`${ExitCode.Usage}: could not judge: %s with a directory for its configuration, naming a file to use`, async (_command, argv) => {
    // Act
    const result = await runWithState(argv(EXAMPLES_DIRECTORY));

    // Assess
    expect(result.code).toBe(EXIT_CODES.Usage.code);
    expect(result.stderr).toContain(`cannot read configuration ${EXAMPLES_DIRECTORY}: it is a directory; name a file, e.g. `);
    expect(result.stderr).toContain(path.join(EXAMPLES_DIRECTORY, 'dockmaster.example.yaml'));
    expect(result.stderr).not.toContain('EISDIR');
  });

  it.each(WITH_CONFIG)(`${ExitCode.Usage}: could not judge: %s with a missing configuration`, async (_command, argv) => {
    // Prepare
    const missing = path.join(stateDir, 'absent.yaml');

    // Act
    const result = await runWithState(argv(missing));

    // Assess
    expect(result.code).toBe(EXIT_CODES.Usage.code);
    expect(result.stderr).toContain(`cannot read configuration ${path.resolve(missing)}: no such file; check the path`);
  });

  it.each(OTHER_FILES)(`${ExitCode.Usage}: could not judge: %s given a directory`, async (_file, argv, what) => {
    // Act
    const result = await runWithState(argv);

    // Assess
    expect(result.code).toBe(EXIT_CODES.Usage.code);
    expect(result.stderr).toContain(`cannot read ${what} ${EXAMPLES_DIRECTORY}: it is a directory; name a file`);
    expect(result.stderr).not.toContain('EISDIR');
  });

  it(`${ExitCode.Internal}: a bug (here: the output stream fails), with no stack unless asked`, async () => {
    // Prepare
    const err: string[] = [];
    const io: CliIo = { stdout: () => { throw new Error('write EPIPE'); }, stderr: (text) => void err.push(text), isTty: false };

    // Act
    const code = await main(['validate', EXAMPLE_CONFIG], io);

    // Assess
    expect(code).toBe(EXIT_CODES.Internal.code);
    expect(err.join('\n')).toContain('dockmaster validate: internal error: write EPIPE');
  });
});
