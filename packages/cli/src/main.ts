import { UserFacingError } from '@dockmaster/core/errors';
import { COMMANDS } from './commands/index.js';
import { ExitCode } from './constants.js';
import { exitCodeFor } from './errors.js';
import { processIo, type CliIo } from './io.js';

const helpText = (): string => {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'dockmaster: event-driven automation for Amazon ECR',
    '',
    'usage: dockmaster <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'Run `dockmaster <command> --help` for a command\'s options. Docs: docs/cli.md',
  ].join('\n');
};

/** Runs one CLI invocation and returns its exit code; errors the user can fix never print a stack trace. */
const main = async (argv: string[], io: CliIo = processIo): Promise<number> => {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name ? ExitCode.Ok : ExitCode.Usage;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    io.stderr(`dockmaster: unknown command "${name}"\n\n${helpText()}`);
    return ExitCode.Usage;
  }
  try {
    const command = await entry.load();
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(`${entry.summary}\n\nusage: ${command.usage}`);
      return ExitCode.Ok;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UserFacingError) {
      io.stderr(`dockmaster ${name}: ${error.message}`);
      return exitCodeFor(error);
    }
    io.stderr(`dockmaster ${name}: internal error: ${(error as Error).message ?? String(error)}`);
    if (process.env.DOCKMASTER_DEBUG) io.stderr(String((error as Error).stack));
    else io.stderr('Set DOCKMASTER_DEBUG=1 for details; please report this as a bug.');
    return exitCodeFor(error);
  }
};

export { main };
