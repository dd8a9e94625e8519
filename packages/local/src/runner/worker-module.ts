import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildWorkerBundles, workerBundleFile } from '@dockmaster/functions/bundle';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { REPOSITORY_ROOT } from '../control/repository-root.js';

/**
 * DOCKMASTER_WORKERS: what the local stack runs. `sources` (the default) imports the handlers' TypeScript, so an
 * edit takes effect on the next start; `bundled` runs the bundles SST deploys (the shared WORKER_NODEJS settings),
 * built into DOCKMASTER_WORKER_BUNDLES (default .dockmaster/worker-bundles) unless they are current there.
 */
const WORKERS_VARIABLE = 'DOCKMASTER_WORKERS';
const WORKER_BUNDLES_VARIABLE = 'DOCKMASTER_WORKER_BUNDLES';
const WorkerSource = { Sources: 'sources', Bundled: 'bundled' } as const;
type WorkerSource = (typeof WorkerSource)[keyof typeof WorkerSource];

/** A worker's exported handler, as Lambda calls it for an SQS event source with partial batch responses. */
type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void | undefined>;

type WorkerModule = { ok: true; handler: WorkerHandler; file: string } | { ok: false; file: string; reason: string };

/**
 * Where the topology's handler (`packages/functions/src/handlers/tag-policy.handler`, the string SST gets)
 * lives in this checkout: the module file and the exported name, so the local stack runs exactly what infra deploys.
 */
const resolveHandler = (handler: string, root: string = REPOSITORY_ROOT): { file: string; exportName: string } => {
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  return { file: path.join(root, `${modulePath}.ts`), exportName: handler.slice(dot + 1) };
};

/** Where the bundles are when DOCKMASTER_WORKERS=bundled. */
const workerBundlesDir = (root: string = REPOSITORY_ROOT): string => path.resolve(process.env[WORKER_BUNDLES_VARIABLE] ?? path.join(root, '.dockmaster', 'worker-bundles'));

/** One build per process and bundles directory, shared by every worker and execution environment. */
const bundleBuilds = new Map<string, Promise<unknown>>();
const ensureBundles = (bundlesDir: string, root: string): Promise<unknown> => {
  let pending = bundleBuilds.get(bundlesDir);
  if (pending === undefined) {
    pending = buildWorkerBundles(bundlesDir, root);
    bundleBuilds.set(bundlesDir, pending);
  }
  return pending;
};

const requireFromHere = createRequire(import.meta.url);

/**
 * Loads the worker's bundle as Lambda's Node.js runtime does (require for .cjs, import for .mjs). Each execution
 * environment gets its own instance: the CommonJS module cache entry is dropped before each require.
 */
const loadBundle = async (file: string, environment: number): Promise<Record<string, unknown>> => {
  if (file.endsWith('.mjs')) return (await import(pathToFileURL(file).href + (environment > 0 ? `?environment=${environment}` : ''))) as Record<string, unknown>;
  delete requireFromHere.cache[file];
  return requireFromHere(file) as Record<string, unknown>;
};

const loadBundledWorker = async (handler: string, environment: number, root: string): Promise<WorkerModule> => {
  const bundlesDir = workerBundlesDir(root);
  const file = workerBundleFile(bundlesDir, handler);
  const exportName = handler.slice(handler.lastIndexOf('.') + 1);
  try {
    await ensureBundles(bundlesDir, root);
    const exported = (await loadBundle(file, environment))[exportName];
    if (typeof exported !== 'function') return { ok: false, file, reason: `${file} exports no function "${exportName}"` };
    return { ok: true, file, handler: exported as WorkerHandler };
  } catch (error) {
    return { ok: false, file, reason: `loading the bundle ${file} failed: ${(error as Error).message}` };
  }
};

/** The DOCKMASTER_WORKERS setting; anything else than its two values is refused, not guessed. */
const workerSource = (): WorkerSource | { invalid: string } => {
  const value = process.env[WORKERS_VARIABLE] ?? WorkerSource.Sources;
  return (Object.values(WorkerSource) as string[]).includes(value) ? (value as WorkerSource) : { invalid: value };
};

/**
 * Imports a worker in-process; a worker that does not exist yet (or fails to load) is reported, not thrown.
 * `environment` n > 0 imports a separate instance of the handler module (the URL's query makes it a new module
 * record), the way each Lambda execution environment has its own copy of the handler's state.
 */
const loadWorker = async (handler: string, environment = 0, root?: string): Promise<WorkerModule> => {
  const source = workerSource();
  if (typeof source === 'object') {
    return { ok: false, file: handler, reason: `${WORKERS_VARIABLE}=${source.invalid}: expected ${Object.values(WorkerSource).join(' or ')}` };
  }
  if (source === WorkerSource.Bundled) return loadBundledWorker(handler, environment, root ?? REPOSITORY_ROOT);
  const { file, exportName } = resolveHandler(handler, root);
  if (!existsSync(file)) return { ok: false, file, reason: `${path.relative(root ?? REPOSITORY_ROOT, file)} does not exist yet` };
  try {
    const url = pathToFileURL(file).href + (environment > 0 ? `?environment=${environment}` : '');
    const module = (await import(url)) as Record<string, unknown>;
    const exported = module[exportName];
    if (typeof exported !== 'function') return { ok: false, file, reason: `${path.basename(file)} exports no function "${exportName}"` };
    return { ok: true, file, handler: exported as WorkerHandler };
  } catch (error) {
    return { ok: false, file, reason: `loading ${path.basename(file)} failed: ${(error as Error).message}` };
  }
};

export { loadWorker, REPOSITORY_ROOT, resolveHandler, WORKER_BUNDLES_VARIABLE, workerBundlesDir, WORKERS_VARIABLE, WorkerSource };
export type { WorkerHandler, WorkerModule };
