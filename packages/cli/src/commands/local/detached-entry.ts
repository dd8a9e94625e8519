import { UserFacingError } from '@dockmaster/core/errors';
import { exitCodeFor } from '../../errors.js';
import { processIo } from '../../io.js';
import { localCommand } from '../local.js';

/*
 * Entry of the process `local up --detach` starts: runs `dockmaster local <args>` directly, so the detached stack
 * does not depend on how the command list is assembled, with the CLI's error conventions (no stack traces).
 */
try {
  process.exitCode = await localCommand.run(process.argv.slice(2), processIo);
} catch (error) {
  processIo.stderr(`dockmaster local: ${error instanceof UserFacingError ? error.message : `internal error: ${(error as Error).message}`}`);
  process.exitCode = exitCodeFor(error);
}
