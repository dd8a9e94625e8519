import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { ApiDestinationSpec, TopicDestinationSpec } from '@dockmaster/core/topology';
import { beforeAll, describe, expect, it } from 'vitest';
import { pascalCase } from '../../infra/names';
import { ofType, PLAN_TIMEOUT_MS, planFor, policyOf, topologyFor, type Plan, type PlannedResource } from './plan-runner';

/*
 * The chat channels and PagerDuty API destinations `npm run infra:plan` declares for docs/examples/alert-destinations.yaml,
 * checked against the topology (test/topology/team-destinations.test.ts), and their roles evaluated by a real
 * IAM policy evaluator (@cloud-copilot/iam-simulate).
 */

const CONFIG = 'docs/examples/alert-destinations.yaml';
const ACCOUNT = '111122223333';
const { topology } = topologyFor(CONFIG);
const chats = topology.alertDestinations.filter((destination): destination is TopicDestinationSpec & Required<Pick<TopicDestinationSpec, 'chat'>> => destination.kind !== 'api-destination' && destination.chat !== undefined);
const pagerDuties = topology.alertDestinations.filter((destination): destination is ApiDestinationSpec => destination.kind === 'api-destination');
let plan: Plan;
let planText: string;

beforeAll(async () => {
  plan = await planFor(CONFIG);
  planText = JSON.stringify(plan);
}, PLAN_TIMEOUT_MS);

const named = (type: string, name: string): PlannedResource => {
  const found = ofType(plan, type).filter((resource) => resource.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0]!;
};

/**
 * The ARN a rule gets: the rule has no fixed name, so Pulumi names it after its resource (with a suffix in AWS);
 * the plan's mocks name it after the resource. The topology's rule name only names the resource.
 */
const ruleArnOf = (topologyRuleName: string): string => {
  const rule = named('aws:cloudwatch/eventRule:EventRule', `${pascalCase(topologyRuleName)}Rule`);
  return `arn:aws:events:eu-central-1:${ACCOUNT}:rule/${topology.bus.name}/${rule.name}`;
};

const simulate = async (request: { principal: string; action: string; resource: string; context?: Record<string, string> }, policies: { identity?: unknown[]; resource?: unknown }) => {
  const result = await runSimulation(
    {
      request: { principal: request.principal, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: request.context ?? {} },
      identityPolicies: (policies.identity ?? []).map((policy, index) => ({ name: `p${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(policies.resource === undefined ? {} : { resourcePolicy: policies.resource }),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${request.action} on ${request.resource}: ${result.errors.message}`);
  return result.overallResult;
};

describe('the plan of the alert-destinations example: chat channels', () => {
  it('has the two chat destinations of the example (one Slack, one Teams)', () => {
    // Assess
    expect(chats.map((destination) => destination.chat.platform)).toEqual(['slack', 'teams']);
  });

  it.each(chats.map((destination) => [destination.name, destination] as const))('%s: a channel configuration subscribed to its own topic, with a role only the service may assume and no permission', (_name, destination) => {
    // Prepare
    const base = pascalCase(destination.name);
    const type = destination.chat.platform === 'slack' ? 'aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration' : 'aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration';

    // Act
    const channel = named(type, `${base}${destination.chat.platform === 'slack' ? 'Slack' : 'Teams'}`);
    const role = named('aws:iam/role:Role', `${base}ChatRole`);

    // Assess
    expect(channel.inputs).toMatchObject({
      configurationName: destination.chat.configurationName,
      snsTopicArns: [`arn:aws:sns:eu-central-1:${ACCOUNT}:${base}Topic`],
      iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/${destination.chat.roleName}`,
      guardrailPolicyArns: ['arn:aws:iam::aws:policy/AWSDenyAll'],
      userAuthorizationRequired: true,
    });
    expect(policyOf(role.inputs.assumeRolePolicy).Statement).toEqual([
      { Sid: 'ChatChannelOnly', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'chatbot.amazonaws.com' } },
    ]);
    expect(ofType(plan, 'aws:iam/rolePolicy:RolePolicy').filter((policy) => policy.inputs.role === destination.chat.roleName)).toEqual([]);
    expect(role.inputs.inlinePolicies ?? []).toEqual([]);
    expect(role.inputs.managedPolicyArns ?? []).toEqual([]);
  });
});

describe('the plan of the alert-destinations example: chat topics', () => {
  it.each(chats.map((destination) => [destination.name, destination] as const))('%s: fed by its own rule with the custom-notification transformer; only that rule may publish', async (_name, destination) => {
    // Prepare
    const base = pascalCase(destination.name);
    const topicArn = `arn:aws:sns:eu-central-1:${ACCOUNT}:${base}Topic`;
    const feed = destination.feed.kind === 'bus-rule' ? destination.feed : undefined;
    const emailRule = `team-alerts-${destination.team}`;

    // Act
    const target = named('aws:cloudwatch/eventTarget:EventTarget', `${pascalCase(feed!.rule.name)}Target`);
    const policy = policyOf(ofType(plan, 'aws:sns/topicPolicy:TopicPolicy').find((candidate) => candidate.inputs.arn === topicArn)?.inputs.policy);
    const publish = (sourceArn: string) =>
      simulate({ principal: 'events.amazonaws.com', action: 'sns:Publish', resource: topicArn, context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT } }, { resource: policy });

    // Assess
    expect(target.inputs).toMatchObject({ arn: topicArn, inputTransformer: feed!.inputTransformer });
    expect(await publish(ruleArnOf(feed!.rule.name))).toBe('Allowed');
    expect(await publish(ruleArnOf(emailRule))).toBe('ImplicitlyDenied');
  });
});

describe('the plan of the alert-destinations example: PagerDuty', () => {
  it.each(pagerDuties.map((destination) => [destination.name, destination] as const))('%s: connection with the routing key as a secret body parameter, API destination, rule and target', (_name, destination) => {
    // Prepare
    const base = pascalCase(destination.name);
    const ruleBase = pascalCase(destination.feed.rule.name);

    // Act
    const connection = named('aws:cloudwatch/eventConnection:EventConnection', `${base}Connection`);
    const apiDestination = named('aws:cloudwatch/eventApiDestination:EventApiDestination', `${base}ApiDestination`);
    const rule = named('aws:cloudwatch/eventRule:EventRule', `${ruleBase}Rule`);
    const target = named('aws:cloudwatch/eventTarget:EventTarget', `${ruleBase}Target`);

    // Assess
    expect(JSON.stringify(connection.inputs.authParameters)).toContain(
      JSON.stringify({ isValueSecret: true, key: 'routing_key', value: `[secret: read from ${destination.routingKeySecret} at deploy]` }),
    );
    expect(apiDestination.inputs).toMatchObject({
      name: destination.name,
      connectionArn: `arn:aws:events:eu-central-1:${ACCOUNT}:connection/${destination.name}/00000000-0000-4000-8000-000000000000`,
      httpMethod: 'POST',
      invocationEndpoint: destination.endpoint,
      invocationRateLimitPerSecond: destination.invocationRateLimitPerSecond,
    });
    expect(JSON.parse(rule.inputs.eventPattern as string)).toEqual(destination.feed.rule.eventPattern);
    expect(target.inputs).toMatchObject({
      arn: `arn:aws:events:eu-central-1:${ACCOUNT}:api-destination/${destination.name}/00000000-0000-4000-8000-000000000000`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${destination.role.roleName}`,
      inputPath: '$.detail.pagerduty',
    });
    expect(target.inputs.inputTransformer).toBeUndefined();
    // What EventBridge gives up on after 24 hours lands in the destination's own dead-letter queue.
    const deadLetter = named('aws:sqs/queue:Queue', `${base}DeadLetter`);
    const deadLetterArn = `arn:aws:sqs:eu-central-1:${ACCOUNT}:${destination.deadLetter.queueName}`;
    expect(deadLetter.inputs).toMatchObject({ name: destination.deadLetter.queueName, messageRetentionSeconds: 1_209_600 });
    expect(target.inputs.deadLetterConfig).toEqual({ arn: deadLetterArn });
    const queuePolicy = policyOf(named('aws:sqs/queuePolicy:QueuePolicy', `${base}DeadLetterPolicy`).inputs.policy);
    expect(queuePolicy.Statement).toEqual([
      {
        Sid: 'AllowOwnRulesOnly',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: deadLetterArn,
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': ruleArnOf(destination.feed.rule.name) } },
      },
    ]);
    // That queue has an alarm, like the automations' dead-letter queues.
    const alarm = named('aws:cloudwatch/metricAlarm:MetricAlarm', `${base}DeadLetterAlarm`);
    expect(alarm.inputs).toMatchObject({
      name: destination.deadLetter.alarmName,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: destination.deadLetter.queueName },
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('lets EventBridge assume a PagerDuty role only for its own rule, and the role invoke only its own API destination', async () => {
    // Prepare
    const [payments, platform] = pagerDuties as [ApiDestinationSpec, ApiDestinationSpec];
    const role = named('aws:iam/role:Role', `${pascalCase(payments.name)}Role`);
    const trust = policyOf(role.inputs.assumeRolePolicy);
    const identity = policyOf(named('aws:iam/rolePolicy:RolePolicy', `${pascalCase(payments.name)}RolePolicy`).inputs.policy);
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/${payments.role.roleName}`;
    const ruleArn = (destination: ApiDestinationSpec) => ruleArnOf(destination.feed.rule.name);
    const destinationArn = (destination: ApiDestinationSpec) => `arn:aws:events:eu-central-1:${ACCOUNT}:api-destination/${destination.name}/00000000-0000-4000-8000-000000000000`;
    const assume = (principal: string, sourceArn: string) =>
      simulate({ principal, action: 'sts:AssumeRole', resource: roleArn, context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT } }, { resource: trust });
    const invoke = (action: string, resource: string) => simulate({ principal: roleArn, action, resource }, { identity: [identity] });

    // Act
    const results = {
      ownRule: await assume('events.amazonaws.com', ruleArn(payments)),
      otherRule: await assume('events.amazonaws.com', ruleArn(platform)),
      otherService: await assume('lambda.amazonaws.com', ruleArn(payments)),
      ownDestination: await invoke('events:InvokeApiDestination', destinationArn(payments)),
      otherDestination: await invoke('events:InvokeApiDestination', destinationArn(platform)),
      putEvents: await invoke('events:PutEvents', `arn:aws:events:eu-central-1:${ACCOUNT}:event-bus/${topology.bus.name}`),
      readSecret: await invoke('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:dockmaster/pagerduty/payments-AbCdEf`),
    };

    // Assess
    expect(results).toEqual({
      ownRule: 'Allowed',
      otherRule: 'ImplicitlyDenied',
      otherService: 'ImplicitlyDenied',
      ownDestination: 'Allowed',
      otherDestination: 'ImplicitlyDenied',
      putEvents: 'ImplicitlyDenied',
      readSecret: 'ImplicitlyDenied',
    });
  });

  it('never names a principal "*" and never shows a routing key: only where it is read from', () => {
    // Assess
    expect(planText).not.toMatch(/"Principal":\s*"\*"|"AWS":\s*"\*"/);
    for (const destination of pagerDuties) expect(planText).toContain(`[secret: read from ${destination.routingKeySecret} at deploy]`);
  });
});
