import { ControlClient } from '@dockmaster/local/control';
import type { OnDemandTrigger } from '@dockmaster/local/runner';
import { ExitCode } from '../../constants.js';
import type { CliIo } from '../../io.js';
import { requireRunningStack } from './running-stack.js';

/** `dockmaster local trigger <prepopulate|reconcile|watchdog>`: queues the on-demand run; the live log shows what it does. */
const trigger = async (name: OnDemandTrigger, io: CliIo): Promise<ExitCode> => {
  const state = requireRunningStack(io);
  if (state === undefined) return ExitCode.Failed;
  const { automation } = await new ControlClient(state).trigger(name);
  io.stdout(`queued ${name} for the ${automation} worker; follow it in the live log${state.logFile === undefined ? '' : ` (${state.logFile})`}`);
  return ExitCode.Ok;
};

export { trigger };
