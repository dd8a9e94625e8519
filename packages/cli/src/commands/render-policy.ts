import { findManagedRule, InvalidRepositoryPolicyError, mergeRepositoryPolicy, PolicyTooLargeError, renderPullStatements } from '@dockmaster/core/cache-repository';
import { partitionOf } from '@dockmaster/core/topology';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';
import { readUserFile } from '../io.js';

const ECR_REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

const usage = 'dockmaster render-policy --config <file> --repository <name> [--existing <policy.json>]';

/**
 * The current policy from --existing: a policy document, or what `aws ecr get-repository-policy` prints
 * (`{"policyText": "<document as a string>", ...}`), so its output can be passed as it is.
 */
const readExistingPolicy = (path: string): string => {
  const text = readUserFile(path, 'existing repository policy');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON (existing repository policy): ${(error as Error).message}`);
  }
  const policyText = (parsed as { policyText?: unknown } | null)?.policyText;
  return typeof policyText === 'string' ? policyText : text;
};

/**
 * `dockmaster render-policy`: the repository policy the cache-repository worker would set, given the
 * repository's current one (none without --existing). Under a copy-mode prefix there is no pull-through cache
 * rule, so the statements grant pulls without ecr:BatchImportUpstreamImage. Prints `{"changed": bool, "policy": {...}}`;
 * `policy` is null when the result has no statement left (the worker would delete the policy).
 * Exit 0 rendered, 1 the repository is under no cache prefix or the policy would be too large, 2 bad input.
 */
const renderPolicyCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(
      args,
      { config: { type: 'string' }, repository: { type: 'string' }, existing: { type: 'string' } },
      usage,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument(s): ${positionals.join(' ')}\nusage: ${usage}`);
    if (!values.repository) throw new UsageError(`--repository <name> is required\nusage: ${usage}`);
    const config = loadConfigFile(values.config, usage);
    const currentPolicyText = values.existing === undefined ? undefined : readExistingPolicy(values.existing);

    const repository = values.repository;
    // ECR's repository name grammar (CreateRepository: 2-256 characters, lowercase): a name outside it is bad input, not "under no prefix".
    if (repository.length < 2 || repository.length > 256 || !ECR_REPOSITORY_NAME.test(repository)) {
      throw new UsageError(
        `invalid repository name ${JSON.stringify(repository.length > 80 ? `${repository.slice(0, 80)}…` : repository)}: ECR names are 2-256 characters of lowercase letters and digits, separated by . _ - or /`,
      );
    }
    // The cache prefixes and the repositoryTemplates prefixes: the worker configures repositories under both.
    const rule = findManagedRule(config, repository);
    if (!rule) {
      const list = (prefixes: string[]): string => prefixes.map((prefix) => `${prefix}/`).join(', ') || 'none configured';
      io.stderr(
        `${repository} is under no pull-through cache prefix of ${values.config} (${list(config.pullThroughCache.map((entry) => entry.prefix))}) ` +
          `and no repositoryTemplates prefix (${list(config.repositoryTemplates.map((entry) => entry.prefix))}); ` +
          'Dockmaster manages repository policies only under those. Check the repository name, or add a pullThroughCache or repositoryTemplates entry for its prefix.',
      );
      return ExitCode.Failed;
    }
    try {
      const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements: renderPullStatements(rule, partitionOf(config.registry.region)) });
      io.stdout(JSON.stringify({ changed: merged.changed, policy: merged.empty ? null : merged.policy }, null, 2));
      return ExitCode.Ok;
    } catch (error) {
      // A current policy that is no policy document is bad input; one that cannot take the statements is a verdict.
      if (error instanceof InvalidRepositoryPolicyError) throw new UsageError(`${values.existing}: ${error.message}`, { cause: error });
      if (error instanceof PolicyTooLargeError) {
        io.stderr(error.message);
        return ExitCode.Failed;
      }
      throw error;
    }
  },
};

export { renderPolicyCommand };
