// Whether the bundled CLI (packages/cli/dist, built by scripts/build-bundle.ts) still matches the sources.
// Plain JavaScript, like the launcher that imports it: it runs before anything can transpile TypeScript.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The bundle's entry module inside dist/. */
const ENTRY_FILE = 'dockmaster.mjs';
/** What the build wrote about itself: when it started and which files it read. */
const BUILD_INFO_FILE = 'build-info.json';
/**
 * Files that change whenever the installed dependencies change (npm rewrites its hidden lockfile on every
 * install), so that an `npm install` without a rebuild is noticed like an edited source.
 */
const DEPENDENCY_MARKERS = ['package-lock.json', path.join('node_modules', '.package-lock.json')];

/**
 * @typedef {{ current: true, entry: string } | { current: false, reason: string }} BundleState
 */

/**
 * Current when dist/ holds a complete build and no file the build read was changed (or removed) after the
 * build started. One stat per input: about a millisecond for the CLI's few hundred sources.
 * @param {string} distDirectory packages/cli/dist
 * @param {string} repositoryRoot the directory the build's input paths are relative to
 * @returns {BundleState}
 */
const bundleState = (distDirectory, repositoryRoot) => {
  /** @type {{ builtAt?: unknown, inputs?: unknown }} */
  let info;
  try {
    info = JSON.parse(readFileSync(path.join(distDirectory, BUILD_INFO_FILE), 'utf8'));
  } catch {
    return { current: false, reason: 'the CLI has not been bundled (npm run build:cli)' };
  }
  const { builtAt, inputs } = info;
  if (typeof builtAt !== 'number' || !Array.isArray(inputs)) return { current: false, reason: `${BUILD_INFO_FILE} is not from this version of the build (npm run build:cli)` };
  for (const input of inputs) {
    const stats = statSync(path.join(repositoryRoot, String(input)), { throwIfNoEntry: false });
    if (stats === undefined) return { current: false, reason: `${input} no longer exists (npm run build:cli)` };
    if (stats.mtimeMs > builtAt) return { current: false, reason: `${input} changed after the last build (npm run build:cli)` };
  }
  return { current: true, entry: path.join(distDirectory, ENTRY_FILE) };
};

export { BUILD_INFO_FILE, bundleState, DEPENDENCY_MARKERS, ENTRY_FILE };
