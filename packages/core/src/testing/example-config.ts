import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/*
 * docs/examples/dockmaster.example.yaml, the documented config contract, read the one way every package's
 * tests read it. Test-only: the rest of core does no I/O.
 */

/** The example's file system path, for tests that hand the file to a command or name it in a message. */
const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url));

/** The example's text as committed, for tests that parse it (or a variant of it) themselves. */
const exampleConfigText = (): string => readFileSync(EXAMPLE_CONFIG_PATH, 'utf8');

export { EXAMPLE_CONFIG_PATH, exampleConfigText };
