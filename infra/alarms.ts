import { queueNames } from '@dockmaster/core/topology';
import { topology } from './config';
import { pascalCase } from './names';

/*
 * The DLQ alarms' SNS topic (topology.alarms): e-mail subscriptions of `operations.alarmTeam`, and a policy that
 * lets CloudWatch publish only for Dockmaster's own alarms (named by queueNames, so known before they exist).
 */

const alarmArn = (name: string): string =>
  `arn:${topology.registry.partition}:cloudwatch:${topology.registry.region}:${topology.registry.accountId}:alarm:${name}`;

const alarmTopic = (() => {
  const target = topology.alarms;
  if (target === undefined) {
    console.warn('warning: the dead-letter queue alarms notify nobody; set operations.alarmTeam in the configuration (docs/operations.md)');
    return undefined;
  }
  const topic = new aws.sns.Topic('DockmasterAlarmsTopic', { name: target.topicName, displayName: `Dockmaster alarms for ${target.team}` });
  for (const email of target.emails) {
    // Named by address, not position: reordering the list must not re-send confirmation mails.
    new aws.sns.TopicSubscription(`DockmasterAlarmsEmail${pascalCase(email)}`, { topic: topic.arn, protocol: 'email', endpoint: email });
  }
  new aws.sns.TopicPolicy('DockmasterAlarmsTopicPolicy', {
    arn: topic.arn,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          sid: 'AllowDockmasterAlarmsOnly',
          actions: ['sns:Publish'],
          resources: [topic.arn],
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          conditions: [{ test: 'ArnLike', variable: 'aws:SourceArn', values: topology.automations.map((automation) => alarmArn(queueNames(topology.bus.name, automation.id).deadLetterAlarm)) }],
        },
      ],
    }).json,
  });
  return topic;
})();

export { alarmTopic };
