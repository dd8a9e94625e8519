import { validateEventPattern, matchesEventPattern } from '@dockmaster/core/pattern';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';
import { readEventJson } from '../event-file.js';
import { readUserJson } from '../io.js';

const usage = 'dockmaster test-pattern <pattern.json> <event.json>';

/** `dockmaster test-pattern`: prints true or false, like EventBridge's TestEventPattern. */
const testPatternCommand: Command = {
  usage,
  run: async (args, io) => {
    const { positionals } = parseCommandArgs(args, {}, usage);
    const [patternFile, eventFile] = expectPositionals(positionals, ['pattern.json', 'event.json'], usage) as [string, string];
    const pattern = readUserJson(patternFile, 'event pattern');
    const check = validateEventPattern(pattern);
    if (!check.ok) throw new UsageError(`${patternFile}: invalid event pattern: ${check.reason}`);
    const event = readEventJson(eventFile);
    io.stdout(String(matchesEventPattern(pattern, event)));
    return ExitCode.Ok;
  },
};

export { testPatternCommand };
