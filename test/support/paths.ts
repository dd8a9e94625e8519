import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_CONFIG_PATH } from '@dockmaster/core/testing';

/* Where the repository-level tests find the checkout's files, named once. */

/** The repository root (with a trailing separator). */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A path below the repository root. */
const fromRoot = (relative: string): string => path.join(REPOSITORY_ROOT, relative);

/** The committed example configuration: the config contract every test starts from. */
const EXAMPLE_CONFIG = EXAMPLE_CONFIG_PATH;

export { EXAMPLE_CONFIG, fromRoot, REPOSITORY_ROOT };
