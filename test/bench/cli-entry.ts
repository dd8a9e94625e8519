// The `dockmaster` command as the benchmark runs it, both through tsx (like bin/dockmaster.mjs) and bundled
// by esbuild (what a packaged CLI would ship). Until `sync` is listed in the CLI's command table, it is
// dispatched here directly: the same Command.run that main() would call after one lazy import.
import { UserFacingError } from '@dockmaster/core/errors';
import { COMMANDS } from '../../packages/cli/src/commands/index.js';
import { syncCommand } from '../../packages/cli/src/commands/sync.js';
import { processIo } from '../../packages/cli/src/io.js';
import { main } from '../../packages/cli/src/main.js';

/** What main() does for a command: run it, and turn a usage error into its message and exit 2. */
async function runSync(args: string[]): Promise<number> {
  try {
    return await syncCommand.run(args, processIo);
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    processIo.stderr(`dockmaster sync: ${error.message}`);
    return 2;
  }
}

const [name, ...args] = process.argv.slice(2);
const registered = COMMANDS.some((command) => command.name === 'sync');
process.exitCode = name === 'sync' && !registered ? await runSync(args) : await main(process.argv.slice(2));
