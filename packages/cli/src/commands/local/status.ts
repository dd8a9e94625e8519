import { ControlClient } from '@dockmaster/local/control';
import { ExitCode } from '../../constants.js';
import type { CliIo } from '../../io.js';
import { requireRunningStack, urlsLine } from './running-stack.js';

/** `dockmaster local status`: URLs, workers and their queues. */
const status = async (io: CliIo): Promise<ExitCode> => {
  const state = requireRunningStack(io);
  if (state === undefined) return ExitCode.Failed;
  const current = await new ControlClient(state).status();
  io.stdout(`local stack pid ${current.pid}, ready in ${current.readyMs} ms, config ${current.configPath}`);
  io.stdout(urlsLine(state.urls));
  for (const automation of current.automations) {
    io.stdout(
      `  ${automation.automation.padEnd(16)} ${automation.worker === 'running' ? 'running' : `missing (${automation.reason ?? '?'})`}; ` +
        `queued ${automation.queue.visible}, in flight ${automation.queue.inFlight}, dead-lettered ${automation.deadLetter.visible}`,
    );
  }
  io.stdout(`  alerts delivered: ${current.alerts}`);
  return ExitCode.Ok;
};

export { status };
