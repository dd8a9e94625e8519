#!/usr/bin/env node
// Launcher. npx puts node_modules/.bin first on PATH, so this runs on the Node version the project pins (the
// `node` devDependency), not the machine's. It runs the bundled CLI (dist/, built by `npm ci` through the root
// `prepare` script) when that bundle matches the sources, and the TypeScript sources through tsx otherwise:
// an edit takes effect at once, and `npm run build:cli` makes commands fast again.
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleState } from './bundle-state.mjs';

const argv = process.argv.slice(2);
const distDirectory = fileURLToPath(new URL('../dist/', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

// DOCKMASTER_FROM_SOURCES=1 forces the sources.
const fromSources = process.env.DOCKMASTER_FROM_SOURCES === '1';
const state = fromSources ? undefined : bundleState(distDirectory, repositoryRoot);

/** @typedef {{ main: (argv: string[]) => Promise<number> }} Cli */

/** @returns {Promise<Cli>} */
const importSources = async () => {
  const { register } = await import('tsx/esm/api');
  register();
  const sources = '../src/main.ts';
  return import(sources);
};

/** @type {Cli} */
let cli;
if (state?.current) {
  // `local` runs the workers from their TypeScript sources by default (DOCKMASTER_WORKERS=sources): tsx loads them.
  if (argv[0] === 'local') (await import('tsx/esm/api')).register();
  // V8 code cache on disk (os.tmpdir()/node-compile-cache): from the second run on, the bundle is not compiled
  // again. It must be on before the bundle is imported.
  module.enableCompileCache?.();
  try {
    cli = await import(pathToFileURL(state.entry).href);
    if (process.env.DOCKMASTER_DEBUG) process.stderr.write(`dockmaster: running the bundle ${state.entry}\n`);
  } catch (error) {
    // A damaged dist/ must not stop the command: the sources are always there.
    process.stderr.write(`dockmaster: the bundled CLI did not load (${/** @type {Error} */ (error).message}); running from the sources. Rebuild it: npm run build:cli\n`);
    cli = await importSources();
  }
} else {
  if (process.env.DOCKMASTER_DEBUG) process.stderr.write(`dockmaster: running from the sources: ${state?.reason ?? 'DOCKMASTER_FROM_SOURCES=1'}\n`);
  cli = await importSources();
}
process.exitCode = await cli.main(argv);
