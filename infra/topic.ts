import { pascalCase } from './names';

/** One e-mail subscription per address, named by the address: reordering the list must not re-send confirmation mails. */
const subscribeEmails = (base: string, topic: aws.sns.Topic, emails: readonly string[]): void => {
  for (const email of emails) {
    new aws.sns.TopicSubscription(`${base}Email${pascalCase(email)}`, { topic: topic.arn, protocol: 'email', endpoint: email });
  }
};

/**
 * The topic's one policy: only `service`, and only on behalf of the given resources (`aws:SourceArn`), may
 * publish. One TopicPolicy per topic, because a second would silently replace the first.
 */
const allowOnlyToPublish = (
  name: string,
  topic: aws.sns.Topic,
  grant: { sid: string; service: string; sourceArns: $util.Input<string>[] },
): aws.sns.TopicPolicy =>
  new aws.sns.TopicPolicy(name, {
    arn: topic.arn,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          sid: grant.sid,
          actions: ['sns:Publish'],
          resources: [topic.arn],
          principals: [{ type: 'Service', identifiers: [grant.service] }],
          conditions: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: grant.sourceArns }],
        },
      ],
    }).json,
  });

export { allowOnlyToPublish, subscribeEmails };
