import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { REPOSITORY_ROOT } from '../control/repository-root.js';

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

/**
 * Imports a worker in-process; a worker that does not exist yet (or fails to load) is reported, not thrown.
 * `environment` n > 0 imports a separate instance of the handler module (the URL's query makes it a new module
 * record), the way each Lambda execution environment has its own copy of the handler's state.
 */
const loadWorker = async (handler: string, environment = 0, root?: string): Promise<WorkerModule> => {
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

export { loadWorker, REPOSITORY_ROOT, resolveHandler };
export type { WorkerHandler, WorkerModule };
