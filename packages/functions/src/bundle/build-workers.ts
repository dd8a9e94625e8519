import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AUTOMATION_IDS } from '@dockmaster/core/constants';
import { WORKER_NODEJS, workerHandler } from '@dockmaster/core/topology';
import { bundleFileName, sstEsbuildOptions } from './sst-esbuild.js';

/** What a build wrote about itself: when it started, and the repository-relative files it read. */
interface WorkerBundlesInfo {
  builtAt: number;
  inputs: string[];
  settings: typeof WORKER_NODEJS;
}

const BUILD_INFO_FILE = 'build-info.json';
/** npm rewrites its hidden lockfile on every install: a dependency change makes the bundles stale like an edit. */
const DEPENDENCY_MARKERS = ['package-lock.json', path.join('node_modules', '.package-lock.json')];

/** A handler string (`packages/functions/src/handlers/tag-policy.handler`) split into its module and export. */
const splitHandler = (handler: string): { modulePath: string; exportName: string } => {
  const dot = handler.lastIndexOf('.');
  return { modulePath: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
};

/** Where the bundle of a handler is under a bundles directory: `<dir>/<module name>/bundle.cjs`, SST's file name. */
const workerBundleFile = (bundlesDir: string, handler: string): string =>
  path.join(bundlesDir, path.basename(splitHandler(handler).modulePath), bundleFileName());

/** Current when built with today's settings and no input changed (or vanished) after the build started. */
const bundlesAreCurrent = async (bundlesDir: string, root: string): Promise<boolean> => {
  let info: WorkerBundlesInfo;
  try {
    info = JSON.parse(await readFile(path.join(bundlesDir, BUILD_INFO_FILE), 'utf8')) as WorkerBundlesInfo;
  } catch {
    return false;
  }
  if (JSON.stringify(info.settings) !== JSON.stringify(WORKER_NODEJS) || !Array.isArray(info.inputs)) return false;
  for (const input of info.inputs) {
    const stats = await stat(path.join(root, input)).catch(() => undefined);
    if (stats === undefined || stats.mtimeMs > info.builtAt) return false;
  }
  return true;
};

/**
 * Bundles every automation's worker as `sst deploy` does (sstEsbuildOptions with WORKER_NODEJS) into
 * `bundlesDir/<automation>/bundle.cjs`, unless the bundles there are current. Built beside and renamed into
 * place, so a concurrent reader never sees half a build. Returns whether it built.
 */
const buildWorkerBundles = async (bundlesDir: string, root: string): Promise<{ built: boolean; ms: number }> => {
  const started = performance.now();
  if (await bundlesAreCurrent(bundlesDir, root)) return { built: false, ms: performance.now() - started };
  const builtAt = Date.now();
  const staging = `${bundlesDir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  // Loaded here, not at import: the local stack imports this module on every start, and builds only when asked.
  const { build } = await import('esbuild');
  const inputs = new Set<string>(DEPENDENCY_MARKERS);
  // One at a time: esbuild is multi-threaded already, and the machines this runs on are small.
  for (const id of AUTOMATION_IDS) {
    const handler = workerHandler(id);
    const entry = path.join(root, `${splitHandler(handler).modulePath}.ts`);
    const options = sstEsbuildOptions(entry, path.dirname(workerBundleFile(staging, handler)));
    const { metafile } = await build(options);
    for (const input of Object.keys(metafile?.inputs ?? {})) {
      const relative = path.relative(root, path.resolve(input));
      if (!relative.startsWith('..') && !relative.split(path.sep).includes('node_modules')) inputs.add(relative);
    }
  }
  const info: WorkerBundlesInfo = { builtAt, inputs: [...inputs].sort(), settings: WORKER_NODEJS };
  await writeFile(path.join(staging, BUILD_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
  await mkdir(path.dirname(bundlesDir), { recursive: true });
  await rm(bundlesDir, { recursive: true, force: true });
  try {
    await rename(staging, bundlesDir);
  } catch (error) {
    // Another process (a parallel test file) put its build there first; use it when it is as current as ours.
    await rm(staging, { recursive: true, force: true });
    if (!(await bundlesAreCurrent(bundlesDir, root))) throw error;
  }
  return { built: true, ms: performance.now() - started };
};

export { buildWorkerBundles, splitHandler, workerBundleFile };
