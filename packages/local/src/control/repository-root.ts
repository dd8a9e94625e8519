import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether `directory` holds the workspace root's package.json (the one that declares `workspaces`). */
const isWorkspaceRoot = (directory: string): boolean => {
  try {
    const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { workspaces?: unknown };
    return Array.isArray(manifest.workspaces);
  } catch {
    return false;
  }
};

/**
 * The checkout's root: the nearest directory above `start` whose package.json declares the npm workspaces.
 * Searched rather than counted in `../` steps, because the same module runs from its source file and from
 * a chunk of the bundled CLI (packages/cli/dist), which sit at different depths.
 */
const findRepositoryRoot = (start: string): string => {
  for (let directory = start; ; directory = path.dirname(directory)) {
    if (isWorkspaceRoot(directory)) return directory;
    if (path.dirname(directory) === directory) throw new Error(`no npm workspace root (package.json with "workspaces") above ${start}`);
  }
};

/** The root of the checkout this code runs from. */
const REPOSITORY_ROOT = findRepositoryRoot(path.dirname(fileURLToPath(import.meta.url)));

export { findRepositoryRoot, REPOSITORY_ROOT };
