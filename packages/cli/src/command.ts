import type { ExitCode } from './constants.js';
import type { CliIo } from './io.js';

/** One `dockmaster <name>` command: parses its own arguments (strictly) and returns its exit code. */
interface Command {
  usage: string;
  run: (args: string[], io: CliIo) => Promise<ExitCode>;
}

/** What `--help` needs without loading the command: commands load lazily, so startup stays fast. */
interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

export type { Command, CommandEntry };
