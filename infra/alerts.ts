import type { AlertDestinationSpec } from '@dockmaster/core/topology';
import { dockmasterBus } from './bus';
import { topology } from './config';
import { pascalCase } from './names';
import { allowOnlyToPublish, subscribeEmails } from './topic';

/*
 * Every alert destination of the topology (topology.alertDestinations, declared in
 * packages/core/src/topology/alert-destinations.ts): one SNS topic, e-mail subscriptions from the
 * configuration, its feed, and a policy that lets only that feed publish. A new kind of feed is one branch here.
 */

/** What a service must act on behalf of to publish: the bus rule this creates, or the alarms the topology names. */
const deployFeed = (destination: AlertDestinationSpec, topic: aws.sns.Topic): { service: string; sourceArns: $util.Input<string>[] } => {
  const { feed } = destination;
  if (feed.kind === 'alarms') return { service: 'cloudwatch.amazonaws.com', sourceArns: feed.alarmArns };
  const rule = new aws.cloudwatch.EventRule(`${pascalCase(feed.rule.name)}Rule`, {
    eventBusName: dockmasterBus.name,
    description: feed.rule.description,
    eventPattern: JSON.stringify(feed.rule.eventPattern),
  });
  new aws.cloudwatch.EventTarget(`${pascalCase(feed.rule.name)}Target`, {
    rule: rule.name,
    eventBusName: dockmasterBus.name,
    arn: topic.arn,
    // The e-mail is the event's readable message (subject line, blank line, body) as plain text, not the raw
    // event JSON; see TEAM_ALERT_INPUT_TRANSFORMER in packages/core/src/topology/team-alerts.ts.
    inputTransformer: feed.inputTransformer,
  });
  return { service: 'events.amazonaws.com', sourceArns: [rule.arn] };
};

const destinations = topology.alertDestinations.map((destination) => {
  const base = pascalCase(destination.name);
  const topic = new aws.sns.Topic(`${base}Topic`, {
    ...(destination.topicName === undefined ? {} : { name: destination.topicName }),
    displayName: destination.displayName,
  });
  subscribeEmails(base, topic, destination.emails);
  const publisher = deployFeed(destination, topic);
  allowOnlyToPublish(`${base}TopicPolicy`, topic, { sid: destination.feed.sid, ...publisher });
  return { destination, topic };
});

/** The team topics (stack outputs). */
const teamTopics = destinations
  .filter(({ destination }) => destination.feed.kind === 'bus-rule')
  .map(({ destination, topic }) => ({ team: destination.team, topic }));

/** operations.alarmTeam's topic, the DLQ alarms' action (infra/automations.ts). */
const alarmTopic = destinations.find(({ destination }) => destination.feed.kind === 'alarms')?.topic;
if (alarmTopic === undefined) {
  console.warn('warning: the dead-letter queue alarms notify nobody; set operations.alarmTeam in the configuration (docs/operations.md)');
}

export { alarmTopic, teamTopics };
