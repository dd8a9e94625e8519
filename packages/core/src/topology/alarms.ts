import type { DockmasterConfig } from '../config/index.js';
import type { Topology } from './types.js';

/**
 * Where the DLQ alarms go: `operations.alarmTeam`'s e-mail addresses, on a topic of their own (the team
 * topics carry readable alerts from Dockmaster's bus; alarm notifications are CloudWatch's JSON).
 */
const alarmTarget = (config: DockmasterConfig, busName: string): Topology['alarms'] => {
  const team = config.operations?.alarmTeam;
  if (team === undefined) return undefined;
  return { team, topicName: `${busName}-alarms`, emails: [...(config.teams[team]?.email ?? [])] };
};

export { alarmTarget };
