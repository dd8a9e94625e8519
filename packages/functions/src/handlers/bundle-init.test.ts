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
    builder.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]index\.js$/ }, async (args) => ({
      contents: `globalThis.${YAML_MARK} = true;\n${await readFile(args.path, 'utf8')}`,
      loader: 'js',
    }));
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
});
