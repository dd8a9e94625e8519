import { dockmasterBus } from './bus';
import { topology } from './config';
import { pascalCase } from './names';

/**
 * One SNS topic per team, e-mail subscriptions from the configuration, and a rule on Dockmaster's bus
 * that routes the team's events (by `detail.team`) to it. Only that rule may publish to the topic.
 */
const teamTopics = topology.teamAlertRoutes.map((route) => {
  const base = pascalCase(route.topicName);
  const topic = new aws.sns.Topic(`${base}Topic`, { displayName: `Dockmaster alerts for ${route.team}` });
  for (const email of route.emails) {
    // Named by address, not position: reordering the list must not re-send confirmation mails.
    new aws.sns.TopicSubscription(`${base}Email${pascalCase(email)}`, { topic: topic.arn, protocol: 'email', endpoint: email });
  }
  const rule = new aws.cloudwatch.EventRule(`${pascalCase(route.rule.name)}Rule`, {
    eventBusName: dockmasterBus.name,
    description: route.rule.description,
    eventPattern: JSON.stringify(route.rule.eventPattern),
  });
  new aws.cloudwatch.EventTarget(`${pascalCase(route.rule.name)}Target`, {
    rule: rule.name,
    eventBusName: dockmasterBus.name,
    arn: topic.arn,
    // The e-mail is the event's readable message (subject line, blank line, body), not the raw event JSON.
    // The template is a JSON string literal, the form EventBridge requires for a plain-string input; see
    // TEAM_ALERT_INPUT_TRANSFORMER in packages/core/src/topology/team-alerts.ts.
    inputTransformer: route.inputTransformer,
  });
  new aws.sns.TopicPolicy(`${base}TopicPolicy`, {
    arn: topic.arn,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          sid: 'AllowTeamAlertRuleOnly',
          actions: ['sns:Publish'],
          resources: [topic.arn],
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          conditions: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [rule.arn] }],
        },
      ],
    }).json,
  });
  return { team: route.team, topic };
});

export { teamTopics };
