import { rewriteImageReference, RewriteOutcome, RewriteResultSchema } from '@dockmaster/core/image-reference';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';

const usage = 'dockmaster rewrite-image --config <file> [--json] <reference>...';

/**
 * `dockmaster rewrite-image`: the reference a cluster should pull instead of each one given, through the
 * configured cache prefixes. Prints one line per reference it could rewrite (or `--json`: every reference, in
 * order); the others are named on stderr with the reason. Exit 0 all printed, 1 some registry has no cache prefix
 * (or a copy prefix never copied the image, tag or digest), 2 some reference is not valid (or a usage error).
 */
const rewriteImageCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, { config: { type: 'string' }, json: { type: 'boolean' } }, usage);
    if (positionals.length === 0) throw new UsageError(`name at least one image reference\nusage: ${usage}`);
    const config = loadConfigFile(values.config, usage);

    const results = positionals.map((reference) => rewriteImageReference(config, reference));
    if (values.json) {
      io.stdout(JSON.stringify(results.map(({ input, output, reason }) => RewriteResultSchema.parse({ input, output, ...(reason === undefined ? {} : { reason }) })), null, 2));
    } else {
      for (const result of results) if (result.output !== null) io.stdout(result.output);
    }
    for (const result of results) {
      if (result.outcome === RewriteOutcome.Invalid) io.stderr(`${result.input}: not a valid image reference: ${result.reason}`);
      else if (result.output === null) io.stderr(`${result.input}: ${result.reason} (in ${values.config})`);
    }

    if (results.some((result) => result.outcome === RewriteOutcome.Invalid)) return ExitCode.Usage;
    return results.some((result) => result.output === null) ? ExitCode.Failed : ExitCode.Ok;
  },
};

export { rewriteImageCommand };
