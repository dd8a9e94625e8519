/**
 * The alarm of a dead-letter queue: a message there is an event nobody handled, so one message is enough.
 * Alarm and OK actions go to operations.alarmTeam's topic (infra/alerts.ts; none without an alarm team), so the
 * team also hears when the queue is empty again. One builder for the automations' DLQs and the PagerDuty
 * destinations' DLQs.
 */
const deadLetterAlarm = (
  resourceName: string,
  alarm: { name: string; description: string; queueName: $util.Input<string> },
  alarmTopic: aws.sns.Topic | undefined,
) =>
  new aws.cloudwatch.MetricAlarm(resourceName, {
    name: alarm.name,
    alarmActions: alarmTopic ? [alarmTopic.arn] : [],
    okActions: alarmTopic ? [alarmTopic.arn] : [],
    alarmDescription: alarm.description,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: alarm.queueName },
    statistic: 'Maximum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  });

export { deadLetterAlarm };
