import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sstEsbuildOptions } from '../bundle/index.js';

/*
 * Cold start (issue "Reliability and speed", section 7): what a worker's bundle runs at init. The workers read
 * the compact JSON config, so importing a worker must not evaluate the yaml package (the YAML loader stays in
 * the bundle as the fallback, imported only when needed). Each handler is built with SST's options and
 * imported in a fresh Node process; the yaml package is marked so that its evaluation shows.
 */

const run = promisify(execFile);
const handlersDirectory = fileURLToPath(new URL('.', import.meta.url));
const YAML_MARK = '__dockmasterYamlEvaluated';

/** Sets a global flag when yaml's entry module is evaluated. */
const markYamlEvaluation: Plugin = {
  name: 'mark-yaml-evaluation',
  setup(builder) {
    builder.onLoad({ filter: /(?:^|[\\/])node_modules[\\/]yaml[\\/]dist[\\/]index\.js$/ }, async (args) => ({
      contents: `globalThis.${YAML_MARK} = true;\n${await readFile(args.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

/**
 * What the workers load with their first batch, not at init (docs/sync.md, "Measured"): zod (event schemas),
 * the configuration schema and the libraries it and the automations use. Keyed by a name, the entry module's path.
 */
const DEFERRED_MODULES = {
  zod: /(?:^|[\\/])node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]schemas\.js$/,
  're2js': /(?:^|[\\/])node_modules[\\/]re2js[\\/]build[\\/]index\.js$/,
  semver: /(?:^|[\\/])node_modules[\\/]semver[\\/]index\.js$/,
  picomatch: /(?:^|[\\/])node_modules[\\/]picomatch[\\/]index\.js$/,
  'config schema': /(?:^|[\\/])packages[\\/]core[\\/]src[\\/]config[\\/]schema\.ts$/,
} as const;
const DEFERRED_MARK = '__dockmasterEvaluatedAtInit';

/** Records in a global list which of DEFERRED_MODULES are evaluated. */
const markDeferredEvaluation: Plugin = {
  name: 'mark-deferred-evaluation',
  setup(builder) {
    for (const [name, filter] of Object.entries(DEFERRED_MODULES)) {
      builder.onLoad({ filter }, async (args) => ({
        contents: `(globalThis.${DEFERRED_MARK} ??= []).push(${JSON.stringify(name)});\n${await readFile(args.path, 'utf8')}`,
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      }));
    }
  },
};

const LAMBDA_LIKE_ENV = { AWS_REGION: 'eu-west-1', AWS_LAMBDA_FUNCTION_NAME: 'dockmaster-test', POWERTOOLS_SERVICE_NAME: 'dockmaster' };

let outDir = '';
beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-bundle-graph-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const handlerFiles = (await readdir(handlersDirectory)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

describe.each(handlerFiles)('the %s bundle', (file) => {
  it('loads in the deployed format, exports the handler and keeps the YAML fallback out of init', async () => {
    // Prepare
    const options = sstEsbuildOptions(path.join(handlersDirectory, file), path.join(outDir, file.replace(/\.ts$/, '')));
    const { outfile } = options;
    const { metafile } = await build({ ...options, plugins: [markYamlEvaluation] });
    const bundleOutput = Object.entries(metafile?.outputs ?? {}).find(([name]) => !name.endsWith('.map'))?.[1];
    const bundled = Object.entries(bundleOutput?.inputs ?? {}).filter(([, input]) => input.bytesInOutput > 0).map(([name]) => name);

    // Act
    const script = `(async () => { const bundle = await import(${JSON.stringify(pathToFileURL(outfile).href)}); process.stdout.write(JSON.stringify({ handler: typeof bundle.handler, yamlEvaluated: globalThis.${YAML_MARK} === true })); })();`;
    const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, ...LAMBDA_LIKE_ENV } });

    // Assess
    expect(JSON.parse(stdout)).toEqual({ handler: 'function', yamlEvaluated: false });
    expect(bundled.some((name) => name.includes('node_modules/yaml/'))).toBe(true);
  });

  it('leaves zod, the configuration schema, re2js, semver and picomatch to the first batch', async () => {
    // Prepare
    const options = sstEsbuildOptions(path.join(handlersDirectory, file), path.join(outDir, `${file.replace(/\.ts$/, '')}-deferred`));
    const { metafile } = await build({ ...options, plugins: [markDeferredEvaluation] });
    const bundleOutput = Object.entries(metafile?.outputs ?? {}).find(([name]) => !name.endsWith('.map'))?.[1];
    const bundled = Object.entries(bundleOutput?.inputs ?? {}).filter(([, input]) => input.bytesInOutput > 0).map(([name]) => name);

    // Act
    const script = `(async () => { const bundle = await import(${JSON.stringify(pathToFileURL(options.outfile).href)}); process.stdout.write(JSON.stringify({ handler: typeof bundle.handler, evaluated: globalThis.${DEFERRED_MARK} ?? [] })); })();`;
    const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, ...LAMBDA_LIKE_ENV } });

    // Assess
    expect(JSON.parse(stdout)).toEqual({ handler: 'function', evaluated: [] });
    // They are in the bundle (the first batch needs them), so the check above can fail.
    for (const filter of Object.values(DEFERRED_MODULES)) expect(bundled.some((name) => filter.test(name)), String(filter)).toBe(true);
  });
});
