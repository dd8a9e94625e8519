import { evaluateRepositoryTag, parseImageReference, type ImageLabels } from '@dockmaster/core/tag-policy';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';

const usage = 'dockmaster check-tag --config <file> [--label key=value]... [--json] <repository>:<tag>';

const parseLabels = (values: string[] | undefined): ImageLabels | undefined => {
  if (!values || values.length === 0) return undefined;
  const labels: Record<string, string> = {};
  for (const value of values) {
    const separator = value.indexOf('=');
    if (separator <= 0) throw new UsageError(`--label ${value}: expected key=value\nusage: ${usage}`);
    labels[value.slice(0, separator)] = value.slice(separator + 1);
  }
  return [{ platform: null, labels }];
};

/**
 * `dockmaster check-tag`: the same decision the tag-policy worker takes on push, run in CI before pushing.
 * Exit 0 compliant, 1 not compliant, 2 usage error or invalid reference.
 */
const checkTagCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(
      args,
      { config: { type: 'string' }, label: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      usage,
    );
    const [reference] = expectPositionals(positionals, ['repository>:<tag'], usage) as [string];
    const config = loadConfigFile(values.config, usage);
    const { repository, tag } = parseImageReference(reference);
    const decision = evaluateRepositoryTag(config, repository, { tag, labels: parseLabels(values.label), now: new Date() });

    if (values.json) {
      const { compliant, policy, mode, violations } = decision;
      io.stdout(JSON.stringify({ compliant, policy, mode, violations }));
    } else if (decision.policy === null) {
      io.stdout(`${repository}:${tag}: no tag policy covers ${repository}; nothing to check`);
    } else {
      const verdict = decision.compliant ? 'complies with' : 'does not comply with';
      io.stdout(`${repository}:${tag} ${verdict} policy "${decision.policy}" (${decision.mode} mode)`);
      for (const violation of decision.violations) io.stdout(`  - ${violation.rule}: ${violation.message}`);
      for (const note of decision.notes) io.stdout(`  note: ${note}`);
    }
    return decision.compliant ? ExitCode.Ok : ExitCode.Failed;
  },
};

export { checkTagCommand };
