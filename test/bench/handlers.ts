import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { sstEsbuildOptions } from '@dockmaster/functions/bundle';
import { build } from 'esbuild';
import { median } from './stats.js';

const run = promisify(execFile);

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

/** Bundles one handler the way SST does (the shared WORKER_NODEJS settings); returns the bundle's path and size. */
async function bundleHandler(entry: string, outDir: string): Promise<{ bundle: string; bytes: number }> {
  const options = sstEsbuildOptions(entry, outDir);
  await build(options);
  return { bundle: options.outfile, bytes: (await stat(options.outfile)).size };
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
    const { bundle, bytes: size } = await bundleHandler(path.join(handlersDir, file), path.join(outDir, name));
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

export { bundleHandler, measureHandlers };
export type { HandlerFigure };
