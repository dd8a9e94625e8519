import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '../constants.js';
import { PAGERDUTY_EVENTS_V2_URLS } from '../notifications/pagerduty-events-v2.js';
import { formatArn, regionalArn, type RegistryLocation } from './arn.js';
import { queueNames } from './queue-names.js';
import { ruleName } from './rule-name.js';
import type { AlertDestinationSpec, ApiDestinationSpec, AutomationSpec, InputTransformerSpec, TeamAlertRouteSpec, TopicDestinationSpec, Topology } from './types.js';

/*
 * Every place Dockmaster notifies people, declared once as data. The infra (infra/alerts.ts) turns each
 * destination into an SNS topic with its e-mail subscriptions, its feed and a policy that lets only that feed
 * publish; the local stack delivers the bus-fed ones (routeTeamAlert). A new destination is a builder here
 * (and, for a new kind of feed, one branch in infra/alerts.ts and in the local bus).
 */

/** A team's topic: its alert rule on Dockmaster's bus, turned into readable e-mail (team-alerts.ts). */
const teamDestination = (route: TeamAlertRouteSpec): TopicDestinationSpec => ({
  name: route.topicName,
  team: route.team,
  displayName: `Dockmaster alerts for ${route.team}`,
  emails: [...route.emails],
  feed: { kind: 'bus-rule', sid: 'AllowTeamAlertRuleOnly', rule: route.rule, inputTransformer: route.inputTransformer },
});

/**
 * The DLQ alarms' topic (alarms.ts): CloudWatch publishes to it for Dockmaster's own alarms only (the automations'
 * DLQs, named by queueNames, and the PagerDuty destinations' DLQs, so known before they exist); its physical name
 * is fixed because the alarms' actions name it.
 */
const alarmDestination = (
  alarms: NonNullable<Topology['alarms']>,
  registry: RegistryLocation,
  busName: string,
  automations: readonly AutomationSpec[],
  otherAlarmNames: readonly string[],
): TopicDestinationSpec => ({
  name: 'dockmaster-alarms',
  team: alarms.team,
  topicName: alarms.topicName,
  displayName: `Dockmaster alarms for ${alarms.team}`,
  emails: [...alarms.emails],
  feed: {
    kind: 'alarms',
    sid: 'AllowDockmasterAlarmsOnly',
    alarmArns: [...automations.map((automation) => queueNames(busName, automation.id).deadLetterAlarm), ...otherAlarmNames].map((name) => regionalArn(registry, 'cloudwatch', `alarm:${name}`)),
  },
});

/**
 * The custom notification Amazon Q Developer in chat applications renders (its "Event schema": version "1.0",
 * source "custom", content.textType "client-markdown", title, description; metadata.summary and eventType).
 * The placeholders stand outside quotes, so EventBridge inserts each value as JSON (strings quoted and escaped:
 * API reference, InputTransformer); a subject or body with quotes or line breaks stays valid JSON.
 */
const CHAT_INPUT_TRANSFORMER: InputTransformerSpec = {
  inputPaths: { id: '$.id', eventType: '$.detail-type', title: '$.detail.message.subject', description: '$.detail.message.body' },
  inputTemplate:
    '{"version":"1.0","source":"custom","id":<id>,"content":{"textType":"client-markdown","title":<title>,"description":<description>},"metadata":{"summary":<title>,"eventType":<eventType>}}',
};

/** Physical names (role, channel configuration): the bus name keeps two stages in one account apart; [A-Za-z0-9_-] fits both. */
const physicalName = (busName: string, kind: string, team: string): string => ruleName(`${busName}-${kind}-${team}`).replace(/\./g, '-');

/**
 * A team's chat channel: its own topic (the message is the custom-notification JSON, which would make an
 * unreadable e-mail), fed by its own rule, subscribed by a Slack or Teams channel configuration. The channel's
 * role has no permissions and is capped by the AWSDenyAll guardrail: the channel only shows notifications.
 */
const chatDestination = (route: TeamAlertRouteSpec & { chat: NonNullable<TeamAlertRouteSpec['chat']> }, topology: Omit<Topology, 'alertDestinations'>): TopicDestinationSpec => {
  const { team, chat } = route;
  const name = physicalName(topology.bus.name, 'chat', team);
  const channel = chat.slack
    ? { platform: 'slack' as const, workspaceId: chat.slack.workspaceId, channelId: chat.slack.channelId }
    : { platform: 'teams' as const, teamId: chat.teams.teamId, tenantId: chat.teams.tenantId, channelId: chat.teams.channelId };
  return {
    name: `${route.topicName}-chat`,
    team,
    displayName: `Dockmaster chat alerts for ${team}`,
    emails: [],
    feed: {
      kind: 'bus-rule',
      sid: 'AllowTeamChatRuleOnly',
      rule: { ...route.rule, name: ruleName(`team-chat-${team}`), description: `Dockmaster: chat alerts for team ${team}` },
      inputTransformer: { inputPaths: { ...CHAT_INPUT_TRANSFORMER.inputPaths }, inputTemplate: CHAT_INPUT_TRANSFORMER.inputTemplate },
    },
    chat: {
      configurationName: name,
      roleName: name,
      guardrailPolicyArns: [formatArn({ partition: topology.registry.partition, service: 'iam', region: '', accountId: 'aws', resource: 'policy/AWSDenyAll' })],
      ...channel,
    },
  };
};

/** The events that page: a scan alert (trigger) and a resolution that closes everything open (resolve). */
const PAGERDUTY_EVENT_TYPES = [DockmasterEventType.ScanAlert, DockmasterEventType.ScanAlertResolved] as const;
/** The scan-alert worker puts the Events API v2 body there (core/scan-alert/pagerduty.ts); a partial resolution carries none. */
const PAGERDUTY_INPUT_PATH = '$.detail.pagerduty';
/** PagerDuty's Events API v2 takes about 120 events a minute per integration; EventBridge holds back and retries the rest (up to 24 hours). */
const PAGERDUTY_INVOCATIONS_PER_SECOND = 2;

/**
 * A team's PagerDuty service through an EventBridge API destination: the rule sends `detail.pagerduty` as the
 * body; the connection adds `routing_key` as a secret body parameter read from the team's Secrets Manager
 * secret at deploy time, so the key is in neither the configuration, the events nor the logs.
 */
const pagerDutyDestination = (route: TeamAlertRouteSpec & { pagerduty: NonNullable<TeamAlertRouteSpec['pagerduty']> }, topology: Omit<Topology, 'alertDestinations'>): ApiDestinationSpec => {
  const { team } = route;
  const name = physicalName(topology.bus.name, 'pagerduty', team);
  return {
    kind: 'api-destination',
    name,
    team,
    feed: {
      kind: 'bus-rule',
      sid: 'AllowTeamPagerDutyRuleOnly',
      rule: {
        kind: 'event',
        name: ruleName(`team-pagerduty-${team}`),
        description: `Dockmaster: PagerDuty events for team ${team}`,
        eventPattern: {
          source: [DOCKMASTER_EVENT_SOURCE],
          'detail-type': [...PAGERDUTY_EVENT_TYPES],
          detail: { team: [team], pagerduty: { event_action: ['trigger', 'resolve'] } },
        },
      },
      inputPath: PAGERDUTY_INPUT_PATH,
    },
    endpoint: PAGERDUTY_EVENTS_V2_URLS[route.pagerduty.serviceRegion],
    httpMethod: 'POST',
    invocationRateLimitPerSecond: PAGERDUTY_INVOCATIONS_PER_SECOND,
    routingKeySecret: route.pagerduty.routingKeySecret,
    secretBodyParameter: 'routing_key',
    // SQS's longest retention: time to notice and replay a page PagerDuty never got.
    deadLetter: { queueName: `${name}-dlq`, messageRetentionSeconds: 14 * 24 * 60 * 60, alarmName: `${name}-dlq-not-empty` },
    role: {
      roleName: name,
      statements: [{ sid: 'InvokeTeamPagerDutyOnly', actions: ['events:InvokeApiDestination'], resources: [regionalArn(topology.registry, 'events', `api-destination/${name}/*`)] }],
    },
  };
};

/**
 * Every alert destination of a topology: per team (by team name) its e-mail topic, its chat topic and its
 * PagerDuty API destination when configured; then the alarm topic when there is an alarm team.
 */
const alertDestinations = (topology: Omit<Topology, 'alertDestinations'>): AlertDestinationSpec[] => {
  const teams = topology.teamAlertRoutes.flatMap((route): AlertDestinationSpec[] => [
    teamDestination(route),
    ...(route.chat ? [chatDestination({ ...route, chat: route.chat }, topology)] : []),
    ...(route.pagerduty ? [pagerDutyDestination({ ...route, pagerduty: route.pagerduty }, topology)] : []),
  ]);
  const destinationAlarms = teams.flatMap((destination) => (destination.kind === 'api-destination' ? [destination.deadLetter.alarmName] : []));
  return [...teams, ...(topology.alarms ? [alarmDestination(topology.alarms, topology.registry, topology.bus.name, topology.automations, destinationAlarms)] : [])];
};

export { alertDestinations, CHAT_INPUT_TRANSFORMER, PAGERDUTY_EVENT_TYPES, PAGERDUTY_INPUT_PATH };
