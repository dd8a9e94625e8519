export { buildWorkerBundles, splitHandler, workerBundleFile } from './build-workers.js';
export { bundleFileName, SST_ESM_BANNER, sstEsbuildOptions } from './sst-esbuild.js';
export type { LambdaNodeRuntime, SstBuildOptions } from './sst-esbuild.js';
