import { DockmasterEventType } from '@dockmaster/core/constants';
import { ControlClient } from '@dockmaster/local/control';
import { ExitCode } from '../../constants.js';
import type { CliIo } from '../../io.js';
import { requireRunningStack } from './running-stack.js';

const summary = (detail: Record<string, unknown>): string => {
  const message = detail.message as { subject?: unknown } | undefined;
  if (typeof message?.subject === 'string') return message.subject;
  const parts = [detail.repository, detail.tag, detail.digest, detail.severity, detail.reason].filter((part) => typeof part === 'string');
  return parts.join(' ');
};

/**
 * `dockmaster local alerts [--json]`: what the teams received so far. `--json` prints the alert objects the
 * scan-alert automation produced (the `detail` of each delivered `Scan Alert`), as a JSON array.
 */
const alerts = async (json: boolean, io: CliIo): Promise<ExitCode> => {
  const state = requireRunningStack(io);
  if (state === undefined) return ExitCode.Failed;
  const delivered = await new ControlClient(state).alerts();
  if (json) {
    io.stdout(JSON.stringify(delivered.filter((alert) => alert.detailType === DockmasterEventType.ScanAlert).map((alert) => alert.detail), null, 2));
    return ExitCode.Ok;
  }
  if (delivered.length === 0) {
    io.stdout('no alerts delivered yet');
    return ExitCode.Ok;
  }
  for (const alert of delivered) io.stdout(`${alert.deliveredAt}  team ${alert.team}  ${alert.detailType}: ${summary(alert.detail)}`);
  return ExitCode.Ok;
};

export { alerts };
