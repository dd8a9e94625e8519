import type { AlertDestinationSpec, ApiDestinationSpec, BusRuleFeed, ChatChannelSpec, TopicDestinationSpec } from '@dockmaster/core/topology';
import { dockmasterBus } from './bus';
import { deadLetterAlarm } from './dead-letter-alarm';
import { topology } from './config';
import { pascalCase } from './names';
import { allowRulesToSend } from './queue-policy';
import { allowOnlyToPublish, subscribeEmails } from './topic';

/*
 * Every alert destination of the topology (topology.alertDestinations, declared in
 * packages/core/src/topology/alert-destinations.ts): an SNS topic with its e-mail subscriptions or chat channel,
 * its feed and a policy that lets only that feed publish; or an EventBridge API destination (PagerDuty) fed by
 * its rule. A new kind of feed or destination is one branch here.
 */

/** A rule on Dockmaster's bus (its target comes once what the target needs, e.g. a role naming the rule, exists). */
const deployBusRule = (feed: BusRuleFeed): aws.cloudwatch.EventRule =>
  new aws.cloudwatch.EventRule(`${pascalCase(feed.rule.name)}Rule`, {
    eventBusName: dockmasterBus.name,
    description: feed.rule.description,
    eventPattern: JSON.stringify(feed.rule.eventPattern),
  });

/** The rule's one target: the topic, or the API destination through `roleArn`. */
const deployRuleTarget = (
  feed: BusRuleFeed,
  rule: aws.cloudwatch.EventRule,
  target: { arn: $util.Input<string>; roleArn?: $util.Input<string>; deadLetterArn?: $util.Input<string> },
): void => {
  new aws.cloudwatch.EventTarget(`${pascalCase(feed.rule.name)}Target`, {
    rule: rule.name,
    eventBusName: dockmasterBus.name,
    arn: target.arn,
    ...(target.roleArn === undefined ? {} : { roleArn: target.roleArn }),
    ...(target.deadLetterArn === undefined ? {} : { deadLetterConfig: { arn: target.deadLetterArn } }),
    // E-mail: the event's readable message as plain text (TEAM_ALERT_INPUT_TRANSFORMER); chat: the custom
    // notification JSON (CHAT_INPUT_TRANSFORMER); PagerDuty: the Events API v2 body at `inputPath`.
    ...(feed.inputTransformer === undefined ? {} : { inputTransformer: feed.inputTransformer }),
    ...(feed.inputPath === undefined ? {} : { inputPath: feed.inputPath }),
  });
};

/** What a service must act on behalf of to publish: the bus rule this creates, or the alarms the topology names. */
const deployFeed = (destination: TopicDestinationSpec, topic: aws.sns.Topic): { service: string; sourceArns: $util.Input<string>[] } => {
  const { feed } = destination;
  if (feed.kind === 'alarms') return { service: 'cloudwatch.amazonaws.com', sourceArns: feed.alarmArns };
  const rule = deployBusRule(feed);
  deployRuleTarget(feed, rule, { arn: topic.arn });
  return { service: 'events.amazonaws.com', sourceArns: [rule.arn] };
};

/**
 * The Slack or Teams channel configuration (Amazon Q Developer in chat applications) that subscribes the topic.
 * Its role is trusted by the service only and has no policy: showing SNS notifications needs no AWS
 * permission, and the AWSDenyAll guardrail keeps channel members from running anything through it.
 */
const deployChatChannel = (base: string, chat: ChatChannelSpec, topic: aws.sns.Topic): void => {
  const role = new aws.iam.Role(`${base}ChatRole`, {
    name: chat.roleName,
    assumeRolePolicy: aws.iam.getPolicyDocumentOutput({
      statements: [{ sid: 'ChatChannelOnly', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['chatbot.amazonaws.com'] }] }],
    }).json,
  });
  const common = {
    configurationName: chat.configurationName,
    iamRoleArn: role.arn,
    snsTopicArns: [topic.arn],
    guardrailPolicyArns: chat.guardrailPolicyArns,
    loggingLevel: 'ERROR',
    userAuthorizationRequired: true,
  };
  if (chat.platform === 'slack') {
    new aws.chatbot.SlackChannelConfiguration(`${base}Slack`, { ...common, slackTeamId: chat.workspaceId, slackChannelId: chat.channelId });
  } else {
    new aws.chatbot.TeamsChannelConfiguration(`${base}Teams`, { ...common, teamId: chat.teamId, tenantId: chat.tenantId, channelId: chat.channelId });
  }
};

const deployTopic = (destination: TopicDestinationSpec) => {
  const base = pascalCase(destination.name);
  const topic = new aws.sns.Topic(`${base}Topic`, {
    ...(destination.topicName === undefined ? {} : { name: destination.topicName }),
    displayName: destination.displayName,
  });
  subscribeEmails(base, topic, destination.emails);
  if (destination.chat) deployChatChannel(base, destination.chat, topic);
  const publisher = deployFeed(destination, topic);
  allowOnlyToPublish(`${base}TopicPolicy`, topic, { sid: destination.feed.sid, ...publisher });
  return { destination, topic };
};

/**
 * PagerDuty's Events API v2 as an EventBridge API destination. The routing key is read from the team's
 * Secrets Manager secret at deploy time and handed to the connection as a secret body parameter (`routing_key`):
 * EventBridge keeps it in its own managed secret and adds it to each request. Pulumi holds it as a secret
 * (encrypted in the state, shown as [secret]); it is never in the configuration, an event or a log.
 */
const deployApiDestination = (destination: ApiDestinationSpec, alarmTopic: aws.sns.Topic | undefined): void => {
  const base = pascalCase(destination.name);
  // Trimmed: a secret stored from a key file made with `echo` ends in a newline, and PagerDuty would refuse every event.
  const routingKey = $util.secret(aws.secretsmanager.getSecretVersionOutput({ secretId: destination.routingKeySecret }).secretString.apply((key) => key.trim()));
  const connection = new aws.cloudwatch.EventConnection(`${base}Connection`, {
    name: destination.name,
    description: `Dockmaster: PagerDuty Events API v2 for team ${destination.team}`,
    // A connection must have an authorization; the Events API v2 authenticates by the routing_key in the body,
    // so the required API-key header names the sender and carries nothing secret.
    authorizationType: 'API_KEY',
    authParameters: {
      apiKey: { key: 'X-Dockmaster-Sender', value: 'dockmaster' },
      invocationHttpParameters: { bodies: [{ key: destination.secretBodyParameter, value: routingKey, isValueSecret: true }] },
    },
  });
  const apiDestination = new aws.cloudwatch.EventApiDestination(`${base}ApiDestination`, {
    name: destination.name,
    description: `Dockmaster: PagerDuty for team ${destination.team}`,
    connectionArn: connection.arn,
    httpMethod: destination.httpMethod,
    invocationEndpoint: destination.endpoint,
    invocationRateLimitPerSecond: destination.invocationRateLimitPerSecond,
  });
  // The role EventBridge assumes for the target: only for this rule (aws:SourceArn), only to invoke this API destination.
  const rule = deployBusRule(destination.feed);
  const role = new aws.iam.Role(`${base}Role`, {
    name: destination.role.roleName,
    assumeRolePolicy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          sid: destination.feed.sid,
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          conditions: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [rule.arn] }],
        },
      ],
    }).json,
  });
  new aws.iam.RolePolicy(`${base}RolePolicy`, {
    role: role.id,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: destination.role.statements.map((statement) => ({ sid: statement.sid, actions: statement.actions, resources: statement.resources })),
    }).json,
  });
  const deadLetter = new aws.sqs.Queue(`${base}DeadLetter`, {
    name: destination.deadLetter.queueName,
    messageRetentionSeconds: destination.deadLetter.messageRetentionSeconds,
    sqsManagedSseEnabled: true,
  });
  allowRulesToSend(`${base}DeadLetterPolicy`, deadLetter, [rule.arn]);
  deployRuleTarget(destination.feed, rule, { arn: apiDestination.arn, roleArn: role.arn, deadLetterArn: deadLetter.arn });
  // As the automations' DLQ alarms (infra/automations.ts): a page EventBridge gave up on must not wait unseen.
  deadLetterAlarm(
    `${base}DeadLetterAlarm`,
    {
      name: destination.deadLetter.alarmName,
      description: `Dockmaster: PagerDuty events for team ${destination.team} EventBridge could not deliver; inspect ${destination.deadLetter.queueName} and resend them`,
      queueName: deadLetter.name,
    },
    alarmTopic,
  );
};

const isTopic = (destination: AlertDestinationSpec): destination is TopicDestinationSpec => destination.kind !== 'api-destination';

const destinations = topology.alertDestinations.filter(isTopic).map(deployTopic);

/** operations.alarmTeam's topic, the DLQ alarms' action (here and in infra/automations.ts). */
const alarmTopic = destinations.find(({ destination }) => destination.feed.kind === 'alarms')?.topic;

for (const destination of topology.alertDestinations) {
  if (destination.kind === 'api-destination') deployApiDestination(destination, alarmTopic);
}

/** The team topics (stack outputs): each team's e-mail topic. */
const teamTopics = destinations
  .filter(({ destination }) => destination.feed.kind === 'bus-rule' && destination.chat === undefined)
  .map(({ destination, topic }) => ({ team: destination.team, topic }));

if (alarmTopic === undefined) {
  console.warn('warning: the dead-letter queue alarms notify nobody; set operations.alarmTeam in the configuration (docs/operations.md)');
}

export { alarmTopic, teamTopics };
