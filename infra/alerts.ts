import { dockmasterBus } from './bus';
import { topology } from './config';
import { pascalCase } from './names';
import { allowOnlyToPublish, subscribeEmails } from './topic';

/**
 * One SNS topic per team, e-mail subscriptions from the configuration, and a rule on Dockmaster's bus
 * that routes the team's events (by `detail.team`) to it. Only that rule may publish to the topic.
 */
const teamTopics = topology.teamAlertRoutes.map((route) => {
  const base = pascalCase(route.topicName);
  const topic = new aws.sns.Topic(`${base}Topic`, { displayName: `Dockmaster alerts for ${route.team}` });
  subscribeEmails(base, topic, route.emails);
  const rule = new aws.cloudwatch.EventRule(`${pascalCase(route.rule.name)}Rule`, {
    eventBusName: dockmasterBus.name,
    description: route.rule.description,
    eventPattern: JSON.stringify(route.rule.eventPattern),
  });
  new aws.cloudwatch.EventTarget(`${pascalCase(route.rule.name)}Target`, {
    rule: rule.name,
    eventBusName: dockmasterBus.name,
    arn: topic.arn,
    // The e-mail is the event's readable message (subject line, blank line, body) as plain text, not the raw
    // event JSON; see TEAM_ALERT_INPUT_TRANSFORMER in packages/core/src/topology/team-alerts.ts.
    inputTransformer: route.inputTransformer,
  });
  allowOnlyToPublish(`${base}TopicPolicy`, topic, { sid: 'AllowTeamAlertRuleOnly', service: 'events.amazonaws.com', sourceArns: [rule.arn] });
  return { team: route.team, topic };
});

export { teamTopics };
