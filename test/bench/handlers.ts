import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { WORKER_RUNTIME, type FunctionSpec } from '@dockmaster/core/topology';
import { build, type BuildOptions } from 'esbuild';
import { median } from './stats.js';

const run = promisify(execFile);

/** The banner SST's Node runtime puts on ESM bundles (pkg/runtime/node/build.go), so CJS deps can `require`. */
const SST_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join('\n');

/** Lambda sets these before init; the handlers read configuration lazily, but Powertools looks at some at import. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'dockmaster-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  POWERTOOLS_SERVICE_NAME: 'dockmaster',
  POWERTOOLS_METRICS_NAMESPACE: 'Dockmaster',
};

interface HandlerFigure {
  name: string;
  bundleKb: number;
  /** Median time to `import()` the bundle in a fresh process (module load and top-level code). */
  importMs: number;
  /** Median time from process start to the end of that import (adds Node's own bootstrap). */
  processMs: number;
}

type BundleFormat = FunctionSpec['bundleFormat'];

/** File name of a bundle: `.cjs`/`.mjs` so that Node loads it in the format it was built in, as Lambda does. */
const bundleFileName = (format: BundleFormat = WORKER_RUNTIME.bundleFormat): string => (format === 'esm' ? 'bundle.mjs' : 'bundle.cjs');

/**
 * esbuild options for one handler as SST builds it for the workers' runtime (nodejs24.x), the default
 * `nodejs.minify` and the topology's `nodejs.format`; the ESM banner is SST's, only on ESM bundles.
 */
function sstBuildOptions(entry: string, outfile: string, format: BundleFormat = WORKER_RUNTIME.bundleFormat): BuildOptions & { entryPoints: string[]; outfile: string } {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format,
    target: 'node24',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    external: ['sharp', 'pg-native'],
    ...(format === 'esm' ? { banner: { js: SST_BANNER } } : {}),
    logLevel: 'error',
  };
}

/** Bundles one handler the way SST does; returns the bundle's size in bytes. */
async function bundleHandler(entry: string, outfile: string): Promise<number> {
  await build(sstBuildOptions(entry, outfile));
  return (await stat(outfile)).size;
}

/**
 * Loads the bundle in a fresh Node process and reports how long that took: `require` for CommonJS, `import()`
 * for ESM, the way the Lambda Node.js runtime loads a `.cjs` or `.mjs` handler.
 */
async function loadOnce(bundle: string): Promise<{ importMs: number; processMs: number }> {
  const load = bundle.endsWith('.mjs') ? `await import(${JSON.stringify(pathToFileURL(bundle).href)})` : `require(${JSON.stringify(bundle)})`;
  const script = `(async () => { const t0 = performance.now(); ${load}; const t1 = performance.now(); process.stdout.write(JSON.stringify({ importMs: t1 - t0, processMs: t1 })); })();`;
  const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, ...LAMBDA_LIKE_ENV } });
  return JSON.parse(stdout) as { importMs: number; processMs: number };
}

async function measureHandlers(handlersDir: string, outDir: string, loads: number): Promise<HandlerFigure[]> {
  const names = (await readdir(handlersDir)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts')).sort();
  const figures: HandlerFigure[] = [];
  for (const file of names) {
    const name = file.replace(/\.ts$/, '');
    const bundle = path.join(outDir, name, bundleFileName());
    const size = await bundleHandler(path.join(handlersDir, file), bundle);
    const samples: { importMs: number; processMs: number }[] = [];
    for (let attempt = 0; attempt < loads; attempt += 1) samples.push(await loadOnce(bundle));
    figures.push({
      name,
      bundleKb: size / 1024,
      importMs: median(samples.map((sample) => sample.importMs)),
      processMs: median(samples.map((sample) => sample.processMs)),
    });
  }
  return figures;
}

export { bundleFileName, bundleHandler, measureHandlers, SST_BANNER, sstBuildOptions };
export type { HandlerFigure };
