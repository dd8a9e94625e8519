import { formatConfigIssue, loadConfig } from '@dockmaster/core/config';
import { describeTagImmutability } from '@dockmaster/core/tag-policy';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { ExitCode } from '../constants.js';
import { readUserFile } from '../io.js';

const usage = 'dockmaster validate <config.yaml>';

/** `dockmaster validate`: exit 0 when valid; 1 with one `<file>:<line>:<col> <path> <message>` line per problem. */
const validateCommand: Command = {
  usage,
  run: async (args, io) => {
    const { positionals } = parseCommandArgs(args, {}, usage);
    const [file] = expectPositionals(positionals, ['config.yaml'], usage) as [string];
    const result = loadConfig(readUserFile(file, 'configuration'), file);
    if (!result.ok) {
      for (const issue of result.issues) io.stdout(formatConfigIssue(issue));
      io.stderr(`${file}: ${result.issues.length} problem(s) found by reading and checking the file (validate calls no AWS API)`);
      return ExitCode.Failed;
    }
    const { config, warnings } = result;
    // Expired exemptions and suppressions are warnings: a deployed config must not turn invalid on a date.
    for (const warning of warnings) io.stderr(`warning: ${formatConfigIssue(warning)}`);
    const images = config.pullThroughCache.reduce((sum, rule) => sum + (rule.prepopulate?.images.length ?? 0), 0);
    io.stdout(
      `${file} is valid: ${config.tagPolicies.length} tag polic${config.tagPolicies.length === 1 ? 'y' : 'ies'}, ` +
        `${config.pullThroughCache.length} cache prefix(es), ${images} allow-listed image(s), ` +
        `${Object.keys(config.teams).length} team(s)`,
    );
    // Per policy with tagImmutability: whether ECR refuses the overwrite itself or the worker catches it after the push.
    for (const line of describeTagImmutability(config)) io.stdout(line);
    return ExitCode.Ok;
  },
};

export { validateCommand };
