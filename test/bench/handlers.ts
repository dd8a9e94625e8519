import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { AUTOMATION_IDS, type AutomationId } from '@dockmaster/core/constants';
import { sstEsbuildOptions } from '@dockmaster/functions/bundle';
import { build } from 'esbuild';
import { median, spread } from './stats.js';
import { baselineImports, baselineSource, describeBaseline } from './worker-baseline.js';

const run = promisify(execFile);

/** Lambda sets these before init; the handlers read configuration lazily, but Powertools looks at some at import. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'dockmaster-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  POWERTOOLS_SERVICE_NAME: 'dockmaster',
  POWERTOOLS_METRICS_NAMESPACE: 'Dockmaster',
};

/** The cold-start target: a worker's import at most this many times its baseline's (issue 16). */
const COLD_START_RATIO_TARGET = 1.5;

interface HandlerFigure {
  name: AutomationId;
  bundleKb: number;
  /** Median time to load the worker bundle in a fresh process (module load and top-level code). */
  importMs: number;
  /** Median CPU time (user + system) of that load: what it costs whatever else shares the machine. */
  importCpuMs: number;
  /** Median time from process start to the end of that load (adds Node's own bootstrap). */
  processMs: number;
  /** The same for the bundle of only the SDK clients and Powertools utilities of the worker's declared calls. */
  baselineKb: number;
  baselineMs: number;
  baselineCpuMs: number;
  /** What the baseline holds (package names, short). */
  baselineHolds: string;
  /** Median and range of worker/baseline over the interleaved pairs of loads: wall time, and CPU time. */
  ratio: { median: number; min: number; max: number };
  cpuRatio: { median: number; min: number; max: number };
}

/** Bundles one entry the way SST does (the shared WORKER_NODEJS settings); returns the bundle's path and size. */
async function bundleHandler(entry: string, outDir: string): Promise<{ bundle: string; bytes: number }> {
  const options = sstEsbuildOptions(entry, outDir);
  await build(options);
  return { bundle: options.outfile, bytes: (await stat(options.outfile)).size };
}

/** The baseline of worker `id`, with the worker's own esbuild options; resolved from the workers' package. */
async function bundleBaseline(id: AutomationId, functionsDir: string, outDir: string): Promise<{ bundle: string; bytes: number; holds: string }> {
  const imports = await baselineImports(id, functionsDir);
  const { entryPoints: _entry, ...options } = sstEsbuildOptions(path.join(functionsDir, 'baseline.ts'), outDir);
  await build({ ...options, stdin: { contents: baselineSource(imports), resolveDir: functionsDir, sourcefile: `${id}-baseline.ts`, loader: 'ts' } });
  return { bundle: options.outfile, bytes: (await stat(options.outfile)).size, holds: describeBaseline(imports) };
}

/**
 * Loads the bundle in a fresh Node process and reports how long that took: `require` for CommonJS, `import()`
 * for ESM, the way the Lambda Node.js runtime loads a `.cjs` or `.mjs` handler.
 */
interface Load {
  importMs: number;
  importCpuMs: number;
  processMs: number;
}

async function loadOnce(bundle: string): Promise<Load> {
  const load = bundle.endsWith('.mjs') ? `await import(${JSON.stringify(pathToFileURL(bundle).href)})` : `require(${JSON.stringify(bundle)})`;
  const script =
    `(async () => { const c0 = process.cpuUsage(); const t0 = performance.now(); ${load}; const t1 = performance.now(); const cpu = process.cpuUsage(c0); ` +
    'process.stdout.write(JSON.stringify({ importMs: t1 - t0, importCpuMs: (cpu.user + cpu.system) / 1000, processMs: t1 })); })();';
  const { stdout } = await run(process.execPath, ['-e', script], { env: { ...process.env, ...LAMBDA_LIKE_ENV } });
  return JSON.parse(stdout) as Load;
}

/**
 * Every automation's worker and its baseline, loaded `loads` times each, interleaved (worker first in odd
 * pairs, baseline first in even ones), so that a change in the machine's load hits both alike.
 */
async function measureHandlers(repoRoot: string, outDir: string, loads: number): Promise<HandlerFigure[]> {
  const functionsDir = path.join(repoRoot, 'packages/functions');
  const figures: HandlerFigure[] = [];
  for (const id of AUTOMATION_IDS) {
    const worker = await bundleHandler(path.join(functionsDir, 'src/handlers', `${id}.ts`), path.join(outDir, id));
    const baseline = await bundleBaseline(id, functionsDir, path.join(outDir, `${id}-baseline`));
    const workerSamples: Load[] = [];
    const baselineSamples: Load[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (let pair = 0; pair < loads; pair += 1) {
      const order = pair % 2 === 0 ? [worker.bundle, baseline.bundle] : [baseline.bundle, worker.bundle];
      const [first, second] = [await loadOnce(order[0]!), await loadOnce(order[1]!)];
      const [ofWorker, ofBaseline] = pair % 2 === 0 ? [first, second] : [second, first];
      workerSamples.push(ofWorker);
      baselineSamples.push(ofBaseline);
      ratios.push(ofWorker.importMs / ofBaseline.importMs);
      cpuRatios.push(ofWorker.importCpuMs / ofBaseline.importCpuMs);
    }
    figures.push({
      name: id,
      bundleKb: worker.bytes / 1024,
      importMs: median(workerSamples.map((sample) => sample.importMs)),
      importCpuMs: median(workerSamples.map((sample) => sample.importCpuMs)),
      processMs: median(workerSamples.map((sample) => sample.processMs)),
      baselineKb: baseline.bytes / 1024,
      baselineMs: median(baselineSamples.map((sample) => sample.importMs)),
      baselineCpuMs: median(baselineSamples.map((sample) => sample.importCpuMs)),
      baselineHolds: baseline.holds,
      ratio: { median: median(ratios), ...spread(ratios) },
      cpuRatio: { median: median(cpuRatios), ...spread(cpuRatios) },
    });
  }
  return figures;
}

/**
 * The rows of the cold-start table that run.ts and cold-start.ts print. The target is judged on CPU time: on a
 * machine shared with other work, a load's wall time also counts the time it waited for a CPU.
 */
function handlerRows(figures: readonly HandlerFigure[]): string[][] {
  const ratio = ({ median: middle, min, max }: HandlerFigure['ratio']): string => `${middle.toFixed(2)}x (${min.toFixed(2)}-${max.toFixed(2)})`;
  return [
    ['worker', 'bundle', 'baseline', 'import wall / CPU', 'baseline wall / CPU', 'wall ratio (min-max)', 'CPU ratio (min-max)', `CPU ratio <= ${COLD_START_RATIO_TARGET}x`, 'process start -> imported'],
    ...figures.map((figure) => [
      figure.name,
      `${figure.bundleKb.toFixed(0)} KB`,
      `${figure.baselineKb.toFixed(0)} KB`,
      `${figure.importMs.toFixed(0)} / ${figure.importCpuMs.toFixed(0)} ms`,
      `${figure.baselineMs.toFixed(0)} / ${figure.baselineCpuMs.toFixed(0)} ms`,
      ratio(figure.ratio),
      ratio(figure.cpuRatio),
      figure.cpuRatio.median <= COLD_START_RATIO_TARGET ? 'met' : 'NOT met',
      `${figure.processMs.toFixed(0)} ms`,
    ]),
  ];
}

export { bundleBaseline, bundleHandler, COLD_START_RATIO_TARGET, handlerRows, measureHandlers };
export type { HandlerFigure };
