import type { DockmasterConfig } from '../config/index.js';
import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '../constants.js';
import { ruleName } from './rule-name.js';
import type { TeamAlertRouteSpec } from './types.js';

/** Dockmaster events a person has to act on; they carry `detail.team`, set by the worker from the config. */
const TEAM_ALERT_EVENT_TYPES: readonly DockmasterEventType[] = [
  DockmasterEventType.ScanAlert,
  DockmasterEventType.ScanAlertResolved,
  DockmasterEventType.ImagePrepopulationFailed,
  DockmasterEventType.TagPolicyViolation,
  DockmasterEventType.ReplicationFailed,
  DockmasterEventType.ScanningSilent,
];

/** One SNS topic per configured team, fed by a rule on Dockmaster's bus that matches the team. */
const teamAlertRoutes = (config: DockmasterConfig): TeamAlertRouteSpec[] =>
  Object.entries(config.teams)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([team, settings]) => ({
      team,
      topicName: `team-${team}`,
      emails: [...settings.email],
      rule: {
        kind: 'event',
        name: ruleName(`team-alerts-${team}`),
        description: `Dockmaster: alerts for team ${team}`,
        eventPattern: {
          source: [DOCKMASTER_EVENT_SOURCE],
          'detail-type': [...TEAM_ALERT_EVENT_TYPES],
          detail: { team: [team] },
        },
      },
    }));

export { TEAM_ALERT_EVENT_TYPES, teamAlertRoutes };
