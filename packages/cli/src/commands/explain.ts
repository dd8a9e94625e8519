import { buildTopology, routeEvent } from '@dockmaster/core/topology';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { readEventBridgeEvent } from '../event-file.js';

const usage = 'dockmaster explain --config <file> [--config-parameter <name>] <event.json>';

/** `dockmaster explain`: which automations an event reaches under the rules generated from this config. */
const explainCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(
      args,
      { config: { type: 'string' }, 'config-parameter': { type: 'string' } },
      usage,
    );
    const [eventFile] = expectPositionals(positionals, ['event.json'], usage) as [string];
    const config = loadConfigFile(values.config, usage);
    const event = readEventBridgeEvent(eventFile);
    const options = values['config-parameter'] ? { configParameterName: values['config-parameter'] } : {};
    const topology = buildTopology(config, options);
    io.stdout(JSON.stringify({ jobs: routeEvent(topology, event) }));
    return ExitCode.Ok;
  },
};

export { explainCommand };
