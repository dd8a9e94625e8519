import type { CliIo } from '../io.js';

/*
 * What tests outside this package need to run the CLI in-process (`@dockmaster/cli/testing`): the real `main`,
 * the commands that take test dependencies, and one capturing CliIo, so no test reaches into this package's src/.
 */

/** A CliIo that keeps every line printed to stdout (`out`) and stderr (`err`). */
const captureIo = (isTty = false): { io: CliIo; out: string[]; err: string[] } => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (text) => void out.push(text), stderr: (text) => void err.push(text), isTty };
  return { io, out, err };
};

export { captureIo };
export { localCommand } from '../commands/local.js';
export { createRedriveCommand, type RedriveCommandDeps } from '../commands/redrive.js';
export type { CliIo } from '../io.js';
export { main } from '../main.js';
