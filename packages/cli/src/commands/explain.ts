import { EventBridgeEnvelopeSchema } from '@dockmaster/core/events/envelope';
import { buildTopology, routeEvent } from '@dockmaster/core/topology';
import { expectPositionals, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';
import { readUserJson } from '../io.js';

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
    const event = readUserJson(eventFile, 'event');
    const envelope = EventBridgeEnvelopeSchema.safeParse(event);
    if (!envelope.success) {
      const problems = envelope.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      throw new UsageError(`${eventFile} is not an EventBridge event: ${problems.join('; ')}`);
    }
    const options = values['config-parameter'] ? { configParameterName: values['config-parameter'] } : {};
    const topology = buildTopology(config, options);
    io.stdout(JSON.stringify({ jobs: routeEvent(topology, event) }));
    return ExitCode.Ok;
  },
};

export { explainCommand };
