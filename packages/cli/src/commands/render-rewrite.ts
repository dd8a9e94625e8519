import { RENDER_REWRITE_FORMATS, renderKyvernoPolicyYaml, renderRenovateAliases, type RenderRewriteFormat } from '@dockmaster/core/image-reference';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';

const usage = `dockmaster render-rewrite --config <file> --format ${RENDER_REWRITE_FORMATS.join('|')}`;

const isFormat = (value: string | undefined): value is RenderRewriteFormat => RENDER_REWRITE_FORMATS.some((format) => format === value);

/**
 * `dockmaster render-rewrite`: what makes clusters and dependency updates use the cache, generated from the same
 * prefixes as the cache itself. `kyverno` prints a ClusterPolicy (YAML) that rewrites Pod images; `renovate`
 * prints Renovate's `registryAliases` (JSON). Exit 1 when the config has no prefix to rewrite to.
 */
const renderRewriteCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, { config: { type: 'string' }, format: { type: 'string' } }, usage);
    if (positionals.length > 0) throw new UsageError(`unexpected argument(s): ${positionals.join(' ')}\nusage: ${usage}`);
    if (!isFormat(values.format)) {
      const given = values.format === undefined ? 'is required' : `"${values.format}" is not one of them`;
      throw new UsageError(`--format ${RENDER_REWRITE_FORMATS.join('|')} ${given}\nusage: ${usage}`);
    }
    const config = loadConfigFile(values.config, usage);

    if (values.format === 'renovate') {
      const aliases = renderRenovateAliases(config);
      if (Object.keys(aliases.registryAliases).length === 0) {
        io.stderr(`${values.config} has no pullThroughCache prefix: there is nothing to alias`);
        return ExitCode.Failed;
      }
      io.stdout(JSON.stringify(aliases, null, 2));
      return ExitCode.Ok;
    }

    const { yaml, skipped, empty } = renderKyvernoPolicyYaml(config);
    for (const left of skipped) io.stderr(`left out pullThroughCache prefix ${left.prefix} (upstream ${left.upstream}): ${left.reason}`);
    if (empty) {
      io.stderr(`${values.config} has no pullThroughCache prefix to rewrite images to: there is no policy to render`);
      return ExitCode.Failed;
    }
    io.stdout(yaml);
    return ExitCode.Ok;
  },
};

export { renderRewriteCommand };
