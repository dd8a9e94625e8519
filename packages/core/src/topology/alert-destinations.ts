import { regionalArn, type RegistryLocation } from './arn.js';
import { queueNames } from './queue-names.js';
import type { AlertDestinationSpec, AutomationSpec, TeamAlertRouteSpec, Topology } from './types.js';

/*
 * Every place Dockmaster notifies people, declared once as data. The infra (infra/alerts.ts) turns each
 * destination into an SNS topic with its e-mail subscriptions, its feed and a policy that lets only that feed
 * publish; the local stack delivers the bus-fed ones (routeTeamAlert). A new destination is a builder here
 * (and, for a new kind of feed, one branch in infra/alerts.ts and in the local bus).
 */

/** A team's topic: its alert rule on Dockmaster's bus, turned into readable e-mail (team-alerts.ts). */
const teamDestination = (route: TeamAlertRouteSpec): AlertDestinationSpec => ({
  name: route.topicName,
  team: route.team,
  displayName: `Dockmaster alerts for ${route.team}`,
  emails: [...route.emails],
  feed: { kind: 'bus-rule', sid: 'AllowTeamAlertRuleOnly', rule: route.rule, inputTransformer: route.inputTransformer },
});

/**
 * The DLQ alarms' topic (alarms.ts): CloudWatch publishes to it for Dockmaster's own alarms only, named by
 * queueNames (so known before they exist); its physical name is fixed because the alarms' actions name it.
 */
const alarmDestination = (
  alarms: NonNullable<Topology['alarms']>,
  registry: RegistryLocation,
  busName: string,
  automations: readonly AutomationSpec[],
): AlertDestinationSpec => ({
  name: 'dockmaster-alarms',
  team: alarms.team,
  topicName: alarms.topicName,
  displayName: `Dockmaster alarms for ${alarms.team}`,
  emails: [...alarms.emails],
  feed: {
    kind: 'alarms',
    sid: 'AllowDockmasterAlarmsOnly',
    alarmArns: automations.map((automation) => regionalArn(registry, 'cloudwatch', `alarm:${queueNames(busName, automation.id).deadLetterAlarm}`)),
  },
});

/** Every alert destination of a topology: the team topics (by team name), then the alarm topic when there is an alarm team. */
const alertDestinations = (topology: Omit<Topology, 'alertDestinations'>): AlertDestinationSpec[] => [
  ...topology.teamAlertRoutes.map(teamDestination),
  ...(topology.alarms ? [alarmDestination(topology.alarms, topology.registry, topology.bus.name, topology.automations)] : []),
];

export { alertDestinations };
