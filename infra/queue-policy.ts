/**
 * The one policy of a queue: only EventBridge, and only on behalf of the given rules, may send to it.
 * One QueuePolicy per queue, because a queue has a single policy document and a second resource would
 * silently overwrite the first.
 */
const allowRulesToSend = (name: string, queue: { arn: $util.Input<string>; url: $util.Input<string> }, ruleArns: $util.Input<string>[]) =>
  new aws.sqs.QueuePolicy(name, {
    queueUrl: queue.url,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          sid: 'AllowOwnRulesOnly',
          actions: ['sqs:SendMessage'],
          resources: [queue.arn],
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          conditions: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: ruleArns }],
        },
      ],
    }).json,
  });

export { allowRulesToSend };
