import { ON_DEMAND_TRIGGER_NAMES, type OnDemandTrigger } from '@dockmaster/local/runner';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { alerts } from './local/alerts.js';
import { down } from './local/down.js';
import type { LocalSubcommand } from './local-subcommands.js';
import { image } from './local/image.js';
import { scan } from './local/scan.js';
import { status } from './local/status.js';
import { trigger } from './local/trigger.js';
import { up } from './local/up.js';

const USAGES = {
  up: 'dockmaster local up [--config <file>] [--detach]',
  down: 'dockmaster local down',
  status: 'dockmaster local status',
  scan: 'dockmaster local scan <repository>:<tag> --findings <file.json>',
  alerts: 'dockmaster local alerts [--json]',
  trigger: `dockmaster local trigger <${ON_DEMAND_TRIGGER_NAMES.join('|')}>`,
  image: 'dockmaster local image <layout-dir>',
} as const satisfies Record<LocalSubcommand, string>;

const usage = Object.values(USAGES).join('\n       ');

/**
 * `dockmaster local ...`: the local stack (real registries, the production workers in-process). State, ports
 * and URLs of a running stack are in .dockmaster/local/ under the repository root, or $DOCKMASTER_STATE_DIR.
 */
const localCommand: Command = {
  usage,
  run: async (args, io) => {
    const [subcommand, ...rest] = args;
    switch (subcommand) {
      case 'up': {
        const { values, positionals } = parseCommandArgs(rest, { config: { type: 'string' }, detach: { type: 'boolean' } }, USAGES.up);
        expectPositionals(positionals, [], USAGES.up);
        return up(values, io);
      }
      case 'down': {
        expectPositionals(parseCommandArgs(rest, {}, USAGES.down).positionals, [], USAGES.down);
        return down(io);
      }
      case 'status': {
        expectPositionals(parseCommandArgs(rest, {}, USAGES.status).positionals, [], USAGES.status);
        return status(io);
      }
      case 'scan': {
        const { values, positionals } = parseCommandArgs(rest, { findings: { type: 'string' } }, USAGES.scan);
        const [reference] = expectPositionals(positionals, ['repository>:<tag'], USAGES.scan) as [string];
        if (values.findings === undefined) throw new UsageError(`--findings <file.json> is required\nusage: ${USAGES.scan}`);
        return scan(reference, values.findings, io);
      }
      case 'alerts': {
        const { values, positionals } = parseCommandArgs(rest, { json: { type: 'boolean' } }, USAGES.alerts);
        expectPositionals(positionals, [], USAGES.alerts);
        return alerts(values.json === true, io);
      }
      case 'trigger': {
        const [name] = expectPositionals(parseCommandArgs(rest, {}, USAGES.trigger).positionals, ['what'], USAGES.trigger) as [string];
        if (!(ON_DEMAND_TRIGGER_NAMES as readonly string[]).includes(name)) {
          throw new UsageError(`unknown trigger "${name}"; one of: ${ON_DEMAND_TRIGGER_NAMES.join(', ')}\nusage: ${USAGES.trigger}`);
        }
        return trigger(name as OnDemandTrigger, io);
      }
      case 'image': {
        const [layoutDir] = expectPositionals(parseCommandArgs(rest, {}, USAGES.image).positionals, ['layout-dir'], USAGES.image) as [string];
        return image(layoutDir, io, USAGES.image);
      }
      default:
        throw new UsageError(`${subcommand === undefined ? 'missing subcommand' : `unknown subcommand "${subcommand}"`}\nusage: ${usage}`);
    }
  },
};

export { localCommand };
