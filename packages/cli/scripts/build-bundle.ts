/*
 * Builds the bundled `dockmaster` CLI into packages/cli/dist: `npm run build:cli`, and the root `prepare`
 * script runs it on every `npm ci` / `npm install`. bin/dockmaster.mjs runs the bundle when it is current
 * (bin/bundle-state.mjs) and the TypeScript sources through tsx otherwise, so a stale bundle never runs.
 * Why bundle: transpiling through tsx adds 100-300 ms to every command, more than a whole no-op `sync`.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_MAIN_FIELDS } from '@dockmaster/core/topology';
import { build } from 'esbuild';
import { BUILD_INFO_FILE, DEPENDENCY_MARKERS, ENTRY_FILE } from '../bin/bundle-state.mjs';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cliRoot = fileURLToPath(new URL('../', import.meta.url));

/** The createRequire banner SST also uses: bundled CommonJS dependencies call `require` for Node built-ins. */
const REQUIRE_BANNER = "import { createRequire as topLevelCreateRequire } from 'node:module';\nconst require = topLevelCreateRequire(import.meta.url);";

type BuildInfo = {
  /** Date.now() before the build read any source: a file changed after it makes the bundle stale. */
  builtAt: number;
  /** Repository-relative paths of every workspace source in the bundle, plus the dependency markers. */
  inputs: string[];
};

/**
 * Bundles the CLI into `outdir` (default packages/cli/dist): ESM with code splitting, so that each command's
 * chunk loads only when it runs, as with the sources. Written beside and renamed into place, so a concurrent
 * `dockmaster` never sees half a bundle.
 */
const buildCliBundle = async (outdir = path.join(cliRoot, 'dist')): Promise<{ outdir: string; entry: string; info: BuildInfo }> => {
  const builtAt = Date.now();
  const staging = `${outdir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const result = await build({
    entryPoints: { [ENTRY_FILE.replace(/\.mjs$/, '')]: path.join(cliRoot, 'src/main.ts') },
    outdir: staging,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    keepNames: true,
    // ES module builds first, as for the workers: esbuild's default for platform node (main before module) picks
    // jsonc-parser's UMD build, whose factory `require`s './impl/format' at run time (render-policy, prepopulate).
    mainFields: [...BUNDLE_MAIN_FIELDS],
    outExtension: { '.js': '.mjs' },
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    logLevel: 'error',
    // esbuild's JavaScript API finds its binary relative to its own package: the local stack's bundled-workers
    // mode loads it from node_modules at run time.
    external: ['esbuild'],
  });
  const sources = Object.keys(result.metafile.inputs)
    .map((input) => path.relative(repositoryRoot, path.resolve(input)))
    .filter((input) => !input.split(path.sep).includes('node_modules') && !input.startsWith('..'));
  const info: BuildInfo = { builtAt, inputs: [...sources, ...DEPENDENCY_MARKERS].sort() };
  await writeFile(path.join(staging, BUILD_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
  await mkdir(path.dirname(outdir), { recursive: true });
  await rm(outdir, { recursive: true, force: true });
  await rename(staging, outdir);
  return { outdir, entry: path.join(outdir, ENTRY_FILE), info };
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { outdir, info } = await buildCliBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`dockmaster CLI bundled into ${path.relative(process.cwd(), outdir) || '.'} (${info.inputs.length} inputs) in ${Math.round(performance.now() - started)} ms`);
}

export { buildCliBundle };
export type { BuildInfo };
