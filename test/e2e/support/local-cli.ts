import { captureIo, localCommand } from '@dockmaster/cli/testing';
import { writeState } from '@dockmaster/local/control';
import { localStackState, type LocalStack } from '@dockmaster/local/stack';

/*
 * Test support for the end-to-end tests: `dockmaster local ...` run in-process against a stack the test started,
 * found through its state file exactly as the CLI finds a detached stack.
 */

/** Runs `dockmaster local ...` in-process with its state directory. */
const runLocal = async (args: string[], dir: string) => {
  const previous = process.env.DOCKMASTER_STATE_DIR;
  process.env.DOCKMASTER_STATE_DIR = dir;
  const { io, out, err } = captureIo();
  try {
    return { code: await localCommand.run(args, io), out, err };
  } finally {
    if (previous === undefined) delete process.env.DOCKMASTER_STATE_DIR;
    else process.env.DOCKMASTER_STATE_DIR = previous;
  }
};

/** Records the in-process stack in `dir`'s state file, so the CLI's local commands reach it. */
const recordRunningStack = (dir: string, stack: LocalStack, configPath: string): void => {
  writeState(dir, localStackState(stack, { configPath, detached: false }));
};

export { recordRunningStack, runLocal };
