import { queueNames, regionalArn } from '@dockmaster/core/topology';
import { topology } from './config';
import { allowOnlyToPublish, subscribeEmails } from './topic';

/*
 * The DLQ alarms' SNS topic (topology.alarms): e-mail subscriptions of `operations.alarmTeam`, and a policy that
 * lets CloudWatch publish only for Dockmaster's own alarms (named by queueNames, so known before they exist).
 */

/** The alarm's ARN in the registry's partition (known before the alarm exists, so the policy can name it). */
const alarmArn = (name: string): string => regionalArn(topology.registry, 'cloudwatch', `alarm:${name}`);

const alarmTopic = (() => {
  const target = topology.alarms;
  if (target === undefined) {
    console.warn('warning: the dead-letter queue alarms notify nobody; set operations.alarmTeam in the configuration (docs/operations.md)');
    return undefined;
  }
  const topic = new aws.sns.Topic('DockmasterAlarmsTopic', { name: target.topicName, displayName: `Dockmaster alarms for ${target.team}` });
  subscribeEmails('DockmasterAlarms', topic, target.emails);
  allowOnlyToPublish('DockmasterAlarmsTopicPolicy', topic, {
    sid: 'AllowDockmasterAlarmsOnly',
    service: 'cloudwatch.amazonaws.com',
    sourceArns: topology.automations.map((automation) => alarmArn(queueNames(topology.bus.name, automation.id).deadLetterAlarm)),
  });
  return topic;
})();

export { alarmTopic };
