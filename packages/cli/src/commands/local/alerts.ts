import { DockmasterEventType } from '@dockmaster/core/constants';
import type { DeliveredAlert } from '@dockmaster/local/bus';
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

/** One alert as a team received it: the event once, with every destination it reached (e-mail, chat, pagerduty). */
interface GroupedAlert {
  first: DeliveredAlert;
  channels: string[];
}

/** Groups deliveries of the same event to the same team, keeping the order of the first delivery. */
const groupByAlert = (delivered: readonly DeliveredAlert[]): GroupedAlert[] => {
  const groups = new Map<string, GroupedAlert>();
  for (const alert of delivered) {
    const key = `${alert.eventId}\n${alert.team}`;
    const group = groups.get(key) ?? { first: alert, channels: [] };
    // A record written before the channel was recorded (an old alerts.jsonl) has none.
    if (alert.channel !== undefined && !group.channels.includes(alert.channel)) group.channels.push(alert.channel);
    groups.set(key, group);
  }
  return [...groups.values()];
};

/**
 * `dockmaster local alerts [--json]`: what the teams received so far, one line per alert with the destinations it
 * reached (`[email, chat, pagerduty]`). `--json` prints the alert objects the scan-alert automation produced (the
 * `detail` of each delivered `Scan Alert`, once per alert and team, however many destinations it reached), as a
 * JSON array, each with `deliveredTo`: the channels.
 */
const alerts = async (json: boolean, io: CliIo): Promise<ExitCode> => {
  const state = requireRunningStack(io);
  if (state === undefined) return ExitCode.Failed;
  const grouped = groupByAlert(await new ControlClient(state).alerts());
  if (json) {
    const scanAlerts = grouped.filter(({ first }) => first.detailType === DockmasterEventType.ScanAlert);
    io.stdout(JSON.stringify(scanAlerts.map(({ first, channels }) => ({ ...first.detail, deliveredTo: channels })), null, 2));
    return ExitCode.Ok;
  }
  if (grouped.length === 0) {
    io.stdout('no alerts delivered yet');
    return ExitCode.Ok;
  }
  for (const { first, channels } of grouped) {
    io.stdout(`${first.deliveredAt}  team ${first.team}  ${first.detailType}: ${summary(first.detail)}  [${channels.join(', ')}]`);
  }
  return ExitCode.Ok;
};

export { alerts };
