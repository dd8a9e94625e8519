import type { DockmasterConfig } from '../config/index.js';
import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '../constants.js';
import { ruleName } from './rule-name.js';
import type { InputTransformerSpec, TeamAlertRouteSpec } from './types.js';

/** Dockmaster events a person has to act on; they carry `detail.team`, set by the worker from the config. */
const TEAM_ALERT_EVENT_TYPES: readonly DockmasterEventType[] = [
  DockmasterEventType.ScanAlert,
  DockmasterEventType.ScanAlertResolved,
  DockmasterEventType.ImagePrepopulationFailed,
  DockmasterEventType.TagPolicyViolation,
  DockmasterEventType.ReplicationFailed,
  DockmasterEventType.ScanningSilent,
];

/**
 * The e-mail an SNS subscriber receives: the subject line, a blank line, the body. Every team alert event
 * carries `detail.message` ({ subject, body }) for this. A plain-string target input must be a JSON string
 * literal ("For Strings, quotes are required": EventBridge user guide, input transformation): the quotes and
 * the `\n` escapes belong to that literal, EventBridge fills `<subject>` and `<body>` in. This is the form
 * CDK's RuleTargetInput.fromText produces; CDK documents that SNS e-mail may still show the literal's
 * surrounding quotes. A JSON-object template would reach the subscriber as JSON, not as text.
 */
const TEAM_ALERT_INPUT_TRANSFORMER: InputTransformerSpec = {
  inputPaths: { subject: '$.detail.message.subject', body: '$.detail.message.body' },
  inputTemplate: JSON.stringify('<subject>\n\n<body>'),
};

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
      inputTransformer: { inputPaths: { ...TEAM_ALERT_INPUT_TRANSFORMER.inputPaths }, inputTemplate: TEAM_ALERT_INPUT_TRANSFORMER.inputTemplate },
    }));

export { TEAM_ALERT_EVENT_TYPES, TEAM_ALERT_INPUT_TRANSFORMER, teamAlertRoutes };
