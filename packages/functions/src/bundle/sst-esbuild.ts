import { WORKER_NODEJS, WORKER_RUNTIME, type WorkerNodejsSettings } from '@dockmaster/core/topology';
import type { BuildOptions } from 'esbuild';

/*
 * The esbuild options SST 4.17.1 builds a Node.js function with (pkg/runtime/node/build.go, outside `sst dev`),
 * derived from the same `nodejs` settings infra passes (WORKER_NODEJS). Written out because SST's builder is Go
 * code inside its CLI binary: no JavaScript API builds a function the way a deploy does.
 */

/** SST's esbuild target per Lambda runtime (build.go `targetMap`). */
const SST_TARGETS = { 'nodejs24.x': 'es2024', 'nodejs22.x': 'es2023', 'nodejs20.x': 'es2023' } as const;
type LambdaNodeRuntime = keyof typeof SST_TARGETS;

/** Always external in SST (native modules it installs into the zip instead when used). */
const SST_FORCE_EXTERNAL = ['sharp', 'pg-native'] as const;

/** The banner SST puts on ESM bundles, so that bundled CommonJS dependencies can `require` and use __dirname. */
const SST_ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join('\n');

/** SST's bundle file name in the function's output directory: `bundle.mjs` (ESM) or `bundle.cjs`. */
const bundleFileName = (format: WorkerNodejsSettings['format'] = WORKER_NODEJS.format): string => (format === 'esm' ? 'bundle.mjs' : 'bundle.cjs');

type SstBuildOptions = BuildOptions & { entryPoints: string[]; outfile: string };

/**
 * esbuild options for one handler as `sst deploy` builds it with `nodejs` = `settings` on `runtime`, written to
 * `outDir/bundle.cjs` (or .mjs). Without `nodejs.esbuild.mainFields` SST would use `main` only for CommonJS.
 */
const sstEsbuildOptions = (
  entry: string,
  outDir: string,
  settings: WorkerNodejsSettings = WORKER_NODEJS,
  runtime: LambdaNodeRuntime = WORKER_RUNTIME.runtime,
): SstBuildOptions => {
  const esm = settings.format === 'esm';
  return {
    entryPoints: [entry],
    outfile: `${outDir}/${bundleFileName(settings.format)}`,
    platform: 'node',
    bundle: true,
    external: [...SST_FORCE_EXTERNAL],
    keepNames: true,
    sourcemap: 'linked',
    format: esm ? 'esm' : 'cjs',
    target: SST_TARGETS[runtime],
    mainFields: settings.esbuild.mainFields ?? (esm ? ['module', 'main'] : ['main']),
    ...(esm ? { banner: { js: SST_ESM_BANNER } } : {}),
    minify: settings.minify,
    metafile: true,
    logLevel: 'error',
  };
};

export { bundleFileName, SST_ESM_BANNER, sstEsbuildOptions };
export type { LambdaNodeRuntime, SstBuildOptions };
