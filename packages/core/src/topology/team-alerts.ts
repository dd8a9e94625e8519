import type { DockmasterConfig } from '../config/index.js';
import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '../constants.js';
import { ruleName } from './rule-name.js';
import type { InputTransformerSpec, TeamAlertRouteSpec, TeamChatSettings } from './types.js';

/** Dockmaster events a person has to act on; they carry `detail.team`, set by the worker from the config. */
const TEAM_ALERT_EVENT_TYPES: readonly DockmasterEventType[] = [
  DockmasterEventType.ScanAlert,
  DockmasterEventType.ScanAlertResolved,
  DockmasterEventType.ImagePrepopulationFailed,
  DockmasterEventType.ArchivedImageRestored,
  DockmasterEventType.TagPolicyViolation,
  DockmasterEventType.ReplicationFailed,
  DockmasterEventType.ScanningSilent,
  DockmasterEventType.CacheSyncFailed,
];

/**
 * The e-mail an SNS subscriber receives: the subject line, a blank line, the body. Every team alert event
 * carries `detail.message` ({ subject, body }) for this. The template is plain text (EventBridge API reference,
 * InputTransformer: `"<instance> is in state <status>"`): EventBridge sends a template that is not a JSON
 * object as it is, with the values filled in. A JSON string literal as the template is sent as it is too,
 * quotes and backslash escapes included: subscribers got one line in quotes with a literal `\n\n` in it
 * (terraform-provider-aws#43253, aws-cdk#5924). SNS's e-mail subject stays its default ("AWS Notification Message"): a target's input cannot
 * set it; the alert's subject is the first line of the mail.
 */
const TEAM_ALERT_INPUT_TRANSFORMER: InputTransformerSpec = {
  inputPaths: { subject: '$.detail.message.subject', body: '$.detail.message.body' },
  inputTemplate: '<subject>\n\n<body>',
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
      // The other destinations of the team (alert-destinations.ts builds them), only when configured.
      ...(settings.chat ? { chat: settings.chat as TeamChatSettings } : {}),
      ...(settings.pagerduty ? { pagerduty: { routingKeySecret: settings.pagerduty.routingKeySecret, serviceRegion: settings.pagerduty.serviceRegion } } : {}),
    }));

export { TEAM_ALERT_EVENT_TYPES, TEAM_ALERT_INPUT_TRANSFORMER, teamAlertRoutes };
