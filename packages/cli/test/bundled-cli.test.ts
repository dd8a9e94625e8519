import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_INFO_FILE, bundleState, DEPENDENCY_MARKERS, ENTRY_FILE } from '../bin/bundle-state.mjs';
import { buildCliBundle, type BuildInfo } from '../scripts/build-bundle.js';
import { EXAMPLE_CONFIG, fromRoot, runCli, runProcess } from './support/cli.js';

describe('bundleState', () => {
  let root = '';
  let dist = '';
  const builtAt = Date.parse('2026-11-01T10:00:00Z');
  const writeSource = (relative: string, modifiedAt: number): void => {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '// source\n');
    utimesSync(file, modifiedAt / 1000, modifiedAt / 1000);
  };
  const writeInfo = (info: unknown): void => writeFileSync(path.join(dist, BUILD_INFO_FILE), JSON.stringify(info));

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'dockmaster-bundle-state-'));
    dist = path.join(root, 'packages/cli/dist');
    mkdirSync(dist, { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is current when every input is older than the build', () => {
    // Prepare
    writeSource('packages/cli/src/main.ts', builtAt - 60_000);
    writeSource('package-lock.json', builtAt - 60_000);
    writeInfo({ builtAt, inputs: ['packages/cli/src/main.ts', 'package-lock.json'] });

    // Act
    const state = bundleState(dist, root);

    // Assess
    expect(state).toEqual({ current: true, entry: path.join(dist, ENTRY_FILE) });
  });

  it('is stale when an input changed after the build, naming the file and the fix', () => {
    // Prepare
    writeSource('packages/cli/src/main.ts', builtAt - 60_000);
    writeSource('packages/core/src/config/schema.ts', builtAt + 1_000);
    writeInfo({ builtAt, inputs: ['packages/cli/src/main.ts', 'packages/core/src/config/schema.ts'] });

    // Act
    const state = bundleState(dist, root);

    // Assess
    expect(state).toEqual({ current: false, reason: 'packages/core/src/config/schema.ts changed after the last build (npm run build:cli)' });
  });

  it('is stale when an input no longer exists', () => {
    // Prepare
    writeInfo({ builtAt, inputs: ['packages/cli/src/removed.ts'] });

    // Act
    const state = bundleState(dist, root);

    // Assess
    expect(state).toEqual({ current: false, reason: 'packages/cli/src/removed.ts no longer exists (npm run build:cli)' });
  });

  it.each([
    ['no build', undefined, 'the CLI has not been bundled (npm run build:cli)'],
    ['a build record of another shape', { built: 'yesterday' }, `${BUILD_INFO_FILE} is not from this version of the build (npm run build:cli)`],
  ])('is stale with %s', (_case, info, reason) => {
    // Prepare
    rmSync(path.join(dist, BUILD_INFO_FILE), { force: true });
    if (info !== undefined) writeInfo(info);

    // Act
    const state = bundleState(dist, root);

    // Assess
    expect(state).toEqual({ current: false, reason });
  });
});

describe('the bundled CLI', () => {
  let outdir = '';
  let entry = '';
  let info: BuildInfo;

  /** Runs `main(argv)` of the bundle in a fresh Node process, as bin/dockmaster.mjs does when it is current. */
  const runBundle = async (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> => {
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.exitCode = await main(JSON.parse(process.argv[1]));`;
    return runProcess(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(argv)], { cwd: tmpdir(), env: { ...process.env, ...env } });
  };

  beforeAll(async () => {
    // Inside the checkout (.tmp/ is gitignored), like packages/cli/dist: the bundle finds the checkout from where it is.
    const scratchRoot = fromRoot('.tmp');
    mkdirSync(scratchRoot, { recursive: true });
    outdir = path.join(mkdtempSync(path.join(scratchRoot, 'cli-bundle-')), 'dist');
    ({ entry, info } = await buildCliBundle(outdir));
  });
  afterAll(() => rmSync(path.dirname(outdir), { recursive: true, force: true }));

  it('records the workspace sources it was built from and the dependency markers, and is current right after the build', () => {
    // Act
    const state = bundleState(outdir, fromRoot(''));

    // Assess
    expect(info.inputs).toEqual(expect.arrayContaining(['packages/cli/src/main.ts', 'packages/registry/src/sync/sync.ts', ...DEPENDENCY_MARKERS]));
    expect(info.inputs.some((input) => input.includes('node_modules/') && !DEPENDENCY_MARKERS.includes(input))).toBe(false);
    expect(state).toEqual({ current: true, entry });
  });

  it('prints what the sources print', async () => {
    // Prepare
    const argv = ['validate', EXAMPLE_CONFIG];

    // Act
    const bundled = await runBundle(argv);
    const sources = await runCli(argv);

    // Assess
    expect(bundled).toEqual({ code: 0, stdout: sources.stdout, stderr: '' });
  });

  it('finds the checkout from inside dist/ (the local stack state directory of redrive)', async () => {
    // Act
    const { code, stderr } = await runBundle(['redrive', '--queue', 'tag-policy', '--dry-run']);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain(`nothing recorded in ${path.join(fromRoot(''), '.dockmaster', 'local')}`);
  });

  it('holds the local stack: `local status` runs from the bundle', async () => {
    // Prepare
    const stateDir = mkdtempSync(path.join(tmpdir(), 'dockmaster-bundled-local-'));

    // Act
    const { code, stderr } = await runBundle(['local', 'status'], { DOCKMASTER_STATE_DIR: stateDir });
    rmSync(stateDir, { recursive: true, force: true });

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe(`no local stack is running (nothing recorded in ${stateDir}); start one with: dockmaster local up --detach`);
  });
});
