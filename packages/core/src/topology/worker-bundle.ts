import { WORKER_RUNTIME } from './limits.js';

/*
 * How the workers are bundled, declared once: infra passes WORKER_NODEJS as every worker's SST `nodejs` setting,
 * and @dockmaster/functions/bundle turns the same object into the esbuild options SST 4.17.1 derives from it
 * (pkg/runtime/node/build.go) for the bundle tests, the benchmark and the local stack's DOCKMASTER_WORKERS=bundled.
 */

/**
 * package.json fields esbuild resolves a dependency by: the ES module build first. SST's default for CommonJS
 * bundles is `main` only, and esbuild's own default for platform node is `main` before `module`; either picks
 * jsonc-parser's UMD build (the cache-repository policy merge), whose factory `require`s './impl/format' at run
 * time, a file no bundle contains: the worker (and the CLI) would fail on the first policy merge.
 */
const BUNDLE_MAIN_FIELDS = ['module', 'main'] as const;

/** SST's Function `nodejs` settings for every worker (`nodejs.esbuild` is passed through to esbuild). */
interface WorkerNodejsSettings {
  format: 'cjs' | 'esm';
  /** SST's default too (not under `sst dev`); stated so the tests build what deploys. */
  minify: boolean;
  /** Passed through to esbuild; SST's mainFields default is `main` alone for CommonJS, module+main for ESM. */
  esbuild: { mainFields?: string[] };
}

const WORKER_NODEJS: WorkerNodejsSettings = {
  format: WORKER_RUNTIME.bundleFormat,
  minify: true,
  esbuild: { mainFields: [...BUNDLE_MAIN_FIELDS] },
};

export { BUNDLE_MAIN_FIELDS, WORKER_NODEJS };
export type { WorkerNodejsSettings };
