import { writeState } from '@dockmaster/local/control';
import { localStackState, type LocalStack } from '@dockmaster/local/stack';
import { localCommand } from '../../../packages/cli/src/commands/local.js';
import type { CliIo } from '../../../packages/cli/src/io.js';

/*
 * Test support for the end-to-end tests: `dockmaster local ...` run in-process against a stack the test started,
 * found through its state file exactly as the CLI finds a detached stack.
 */

const capturingIo = (): CliIo & { out: string[]; err: string[] } => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, isTty: false, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
};

/** Runs `dockmaster local ...` in-process with its state directory. */
const runLocal = async (args: string[], dir: string) => {
  const previous = process.env.DOCKMASTER_STATE_DIR;
  process.env.DOCKMASTER_STATE_DIR = dir;
  const io = capturingIo();
  try {
    return { code: await localCommand.run(args, io), ...io };
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
