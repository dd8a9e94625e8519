import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCreationTemplate, renderRepositoryTemplate } from '@dockmaster/core/cache-repository';
import { CacheMode, DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '@dockmaster/core/constants';
import { partitionOf, queueNames, type Topology, type TopicDestinationSpec } from '@dockmaster/core/topology';
import { beforeAll, describe, expect, it } from 'vitest';
import { pascalCase } from '../../infra/names';
import { renderInput, type InputTransformer } from './eventbridge-input';
import { EXAMPLE_CONFIG, fullConfigFile, listOf, ofType, PLAN_TIMEOUT_MS, planFor, policyOf, ROOT, topologyFor, type Plan, type PlannedResource } from './plan-runner';

/*
 * The resources `npm run infra:plan` declares (the real sst.config.ts under Pulumi mocks), checked against the
 * topology they are meant to implement. Needs `npm run infra:check` first (see plan-runner.ts).
 */

const SCHEDULED_EVENT = JSON.parse(readFileSync(join(ROOT, 'test', 'plan', 'fixtures', 'scheduled-event.json'), 'utf8')) as Record<string, unknown>;

const CONFIGS = { example: EXAMPLE_CONFIG, full: fullConfigFile('aws') };
const plans: Partial<Record<keyof typeof CONFIGS, Plan>> = {};

beforeAll(async () => {
  const [example, full] = await Promise.all([planFor(CONFIGS.example), planFor(CONFIGS.full)]);
  Object.assign(plans, { example, full });
}, PLAN_TIMEOUT_MS);

const byInput = (plan: Plan, type: string, key: string, value: unknown): PlannedResource => {
  const found = ofType(plan, type).filter((resource) => resource.inputs[key] === value);
  expect(found, `${type} with ${key} = ${String(value)}`).toHaveLength(1);
  return found[0]!;
};

const queueArn = (topology: Topology, name: string): string => `arn:aws:sqs:${topology.registry.region}:${topology.registry.accountId}:${name}`;

describe.each(Object.keys(CONFIGS) as (keyof typeof CONFIGS)[])('the plan of the %s configuration', (which) => {
  const { config, topology } = topologyFor(CONFIGS[which]);
  const withRules = topology.automations.filter((automation) => automation.rules.length > 0);
  const plan = (): Plan => plans[which]!;

  it.each(withRules.map((automation) => [automation.id, automation] as const))('%s: queue with a redrive policy to its DLQ, and the DLQ alarm with an action', (_id, automation) => {
    // Prepare
    const names = queueNames(topology.bus.name, automation.id);

    // Act
    const queue = byInput(plan(), 'aws:sqs/queue:Queue', 'name', names.queue);
    const dlq = byInput(plan(), 'aws:sqs/queue:Queue', 'name', names.deadLetter);
    const alarm = byInput(plan(), 'aws:cloudwatch/metricAlarm:MetricAlarm', 'name', names.deadLetterAlarm);

    // Assess
    expect(JSON.parse(queue.inputs.redrivePolicy as string)).toEqual({
      deadLetterTargetArn: queueArn(topology, names.deadLetter),
      maxReceiveCount: automation.queue.deadLetter.maxReceiveCount,
    });
    expect(queue.inputs.visibilityTimeoutSeconds).toBe(automation.queue.visibilityTimeoutSeconds);
    expect(dlq.inputs.redrivePolicy).toBeUndefined();
    expect(alarm.inputs).toMatchObject({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: names.deadLetter }, threshold: 0 });
    const alarmTopics = ofType(plan(), 'aws:sns/topic:Topic').filter((topic) => topic.inputs.name === topology.alarms?.topicName);
    if (topology.alarms === undefined) {
      expect(alarm.inputs.alarmActions).toEqual([]);
    } else {
      expect(alarmTopics).toHaveLength(1);
      expect(alarm.inputs.alarmActions).toEqual([`arn:aws:sns:${topology.registry.region}:${topology.registry.accountId}:${topology.alarms.topicName}`]);
    }
  });

  it.each(withRules.map((automation) => [automation.id, automation] as const))('%s: every rule with its pattern or schedule, and a target with the DLQ and retry policy', (_id, automation) => {
    // Prepare
    const names = queueNames(topology.bus.name, automation.id);

    for (const rule of automation.rules) {
      // Act
      const eventRule = plan().resources.find((resource) => resource.type === 'aws:cloudwatch/eventRule:EventRule' && resource.name === `${pascalCase(rule.name)}Rule`);
      const targets = ofType(plan(), 'aws:cloudwatch/eventTarget:EventTarget').filter((target) => target.inputs.rule === eventRule?.name);

      // Assess
      expect(eventRule, rule.name).toBeDefined();
      expect(eventRule!.inputs.eventBusName).toBe('default');
      if (rule.kind === 'event') expect(JSON.parse(eventRule!.inputs.eventPattern as string)).toEqual(rule.eventPattern);
      else expect(eventRule!.inputs.scheduleExpression).toBe(rule.scheduleExpression);
      expect(targets).toHaveLength(1);
      expect(targets[0]!.inputs).toMatchObject({
        arn: queueArn(topology, names.queue),
        deadLetterConfig: { arn: queueArn(topology, names.deadLetter) },
        retryPolicy: { maximumRetryAttempts: automation.delivery.maximumRetryAttempts, maximumEventAgeInSeconds: automation.delivery.maximumEventAgeSeconds },
      });
    }
  });

  it.each(withRules.map((automation) => [automation.id, automation] as const))('%s: an event source mapping with partial batch responses', (_id, automation) => {
    // Act
    const mapping = byInput(plan(), 'aws:lambda/eventSourceMapping:EventSourceMapping', 'eventSourceArn', queueArn(topology, queueNames(topology.bus.name, automation.id).queue));
    const fn = byInput(plan(), 'aws:lambda/function:Function', 'name', (mapping.inputs.functionName as string).split(':').at(-1));

    // Assess
    expect(mapping.inputs).toMatchObject({ functionResponseTypes: ['ReportBatchItemFailures'], batchSize: automation.batch.size, maximumBatchingWindowInSeconds: automation.batch.windowSeconds });
    expect(fn.inputs).toMatchObject({ timeout: automation.function.timeoutSeconds, memorySize: automation.function.memoryMb, runtime: automation.function.runtime, architectures: [automation.function.architecture] });
  });

  it('declares nothing for automations without rules', () => {
    // Prepare
    const idle = topology.automations.filter((automation) => automation.rules.length === 0);

    for (const automation of idle) {
      // Assess
      expect(ofType(plan(), 'aws:sqs/queue:Queue').map((queue) => queue.inputs.name)).not.toContain(queueNames(topology.bus.name, automation.id).queue);
    }
    expect(ofType(plan(), 'aws:lambda/eventSourceMapping:EventSourceMapping')).toHaveLength(withRules.length);
  });

  it('renders every scheduled rule input as the Scheduled Event with the rule detail, as EventBridge fills the template', () => {
    // Prepare
    const schedules = withRules.flatMap((automation) => automation.rules.filter((rule) => rule.kind === 'schedule'));
    expect(schedules.length).toBeGreaterThan(0);

    for (const rule of schedules) {
      // Act
      const eventRule = plan().resources.find((resource) => resource.name === `${pascalCase(rule.name)}Rule`)!;
      const target = byInput(plan(), 'aws:cloudwatch/eventTarget:EventTarget', 'rule', eventRule.name);
      const text = renderInput(target.inputs.inputTransformer as InputTransformer, SCHEDULED_EVENT);

      // Assess
      expect(() => JSON.parse(text), `${rule.name}: ${text}`).not.toThrow();
      expect(JSON.parse(text)).toEqual({ ...SCHEDULED_EVENT, detail: rule.detail });
    }
  });

  it('sends each team alert e-mail as plain text: the subject line, a blank line, the body', () => {
    // Prepare: a message with quotes and line breaks, which a JSON string template would mangle
    const message = { subject: '[TAG POLICY] prod/api:latest violates "production"', body: 'Tag removed.\nDigest: sha256:abc' };

    for (const route of topology.teamAlertRoutes) {
      const event = { version: '0', id: 'e1', 'detail-type': DockmasterEventType.TagPolicyViolation, source: DOCKMASTER_EVENT_SOURCE, detail: { team: route.team, message } };
      const eventRule = byInput(plan(), 'aws:cloudwatch/eventRule:EventRule', 'description', route.rule.description);
      const target = byInput(plan(), 'aws:cloudwatch/eventTarget:EventTarget', 'rule', eventRule.name);

      // Act
      const text = renderInput(target.inputs.inputTransformer as InputTransformer, event);

      // Assess
      expect(eventRule.inputs.eventBusName).toBe(topology.bus.name);
      expect(JSON.parse(eventRule.inputs.eventPattern as string)).toEqual(route.rule.eventPattern);
      expect(text).toBe(`${message.subject}\n\n${message.body}`);
      expect(target.inputs.arn).toBe(`arn:aws:sns:${topology.registry.region}:${topology.registry.accountId}:${pascalCase(route.topicName)}Topic`);
    }
  });

  it('lets only Dockmaster own rules send to each queue and publish to each team topic, and only its alarms to the alarm topic', () => {
    // Prepare: which rules (and alarms) deliver to which ARN
    const ruleArn = (rule: PlannedResource) =>
      rule.inputs.eventBusName === 'default'
        ? `arn:aws:events:${topology.registry.region}:${topology.registry.accountId}:rule/${rule.name}`
        : `arn:aws:events:${topology.registry.region}:${topology.registry.accountId}:rule/${String(rule.inputs.eventBusName)}/${rule.name}`;
    const senders = new Map<string, Set<string>>();
    const addSender = (target: string, source: string) => senders.set(target, new Set([...(senders.get(target) ?? []), source]));
    for (const target of ofType(plan(), 'aws:cloudwatch/eventTarget:EventTarget')) {
      const rule = ofType(plan(), 'aws:cloudwatch/eventRule:EventRule').find((candidate) => candidate.name === target.inputs.rule)!;
      addSender(target.inputs.arn as string, ruleArn(rule));
      const dlq = (target.inputs.deadLetterConfig as { arn?: string } | undefined)?.arn;
      if (dlq !== undefined) addSender(dlq, ruleArn(rule));
    }
    for (const alarm of ofType(plan(), 'aws:cloudwatch/metricAlarm:MetricAlarm')) {
      for (const action of listOf(alarm.inputs.alarmActions)) addSender(action, `arn:aws:cloudwatch:${topology.registry.region}:${topology.registry.accountId}:alarm:${String(alarm.inputs.name)}`);
    }
    const policies = [
      ...ofType(plan(), 'aws:sqs/queuePolicy:QueuePolicy').map((policy) => ({ policy, target: queueArn(topology, (policy.inputs.queueUrl as string).split('/').at(-1)!), action: 'sqs:SendMessage' })),
      ...ofType(plan(), 'aws:sns/topicPolicy:TopicPolicy').map((policy) => ({ policy, target: policy.inputs.arn as string, action: 'sns:Publish' })),
    ];
    expect(policies).toHaveLength(ofType(plan(), 'aws:sqs/queue:Queue').length + ofType(plan(), 'aws:sns/topic:Topic').length);

    for (const { policy, target, action } of policies) {
      // Act
      const statements = policyOf(policy.inputs.policy).Statement;

      // Assess: one Allow per policy, for one service, on this resource, only from the ARNs that deliver to it
      const expectedSources = [...(senders.get(target) ?? [])].sort();
      const service = expectedSources.some((source) => source.includes(':cloudwatch:')) ? 'cloudwatch.amazonaws.com' : 'events.amazonaws.com';
      expect(statements, policy.name).toHaveLength(1);
      expect(statements[0]).toMatchObject({ Effect: 'Allow', Action: action, Resource: target, Principal: { Service: service } });
      expect(listOf((statements[0]!.Condition as Record<string, Record<string, unknown>>).ArnEquals?.['aws:SourceArn']).sort(), policy.name).toEqual(expectedSources);
      expect(expectedSources.length).toBeGreaterThan(0);
    }
  });

  it("deploys exactly the topology's alert destinations: a topic each, an e-mail subscription per address, a policy for its feed", () => {
    // Prepare
    const topics = ofType(plan(), 'aws:sns/topic:Topic');
    const subscriptions = ofType(plan(), 'aws:sns/topicSubscription:TopicSubscription');
    const topicPolicies = ofType(plan(), 'aws:sns/topicPolicy:TopicPolicy');

    const topicDestinations = topology.alertDestinations.filter((destination): destination is TopicDestinationSpec => destination.kind !== 'api-destination');

    // Act
    const planned = topicDestinations.map((destination) => {
      const base = pascalCase(destination.name);
      const topicArn = `arn:aws:sns:${topology.registry.region}:${topology.registry.accountId}:${destination.topicName ?? `${base}Topic`}`;
      const topic = topics.find((candidate) => candidate.name === `${base}Topic`);
      const emails = subscriptions.filter((subscription) => subscription.inputs.topic === topicArn).map((subscription) => subscription.inputs.endpoint);
      const policy = topicPolicies.find((candidate) => candidate.inputs.arn === topicArn);
      return { destination, topic, emails, sid: policy ? policyOf(policy.inputs.policy).Statement[0]?.Sid : undefined };
    });

    // Assess
    expect(topics).toHaveLength(topicDestinations.length);
    expect(subscriptions).toHaveLength(topicDestinations.reduce((sum, destination) => sum + destination.emails.length, 0));
    for (const { destination, topic, emails, sid } of planned) {
      expect(topic?.inputs.displayName, destination.name).toBe(destination.displayName);
      expect(emails.sort()).toEqual([...destination.emails].sort());
      expect(sid).toBe(destination.feed.sid);
    }
  });

  it('creates the pull-through cache rules and creation templates of the cache-mode entries, none for copy mode', () => {
    // Prepare
    const caches = config.pullThroughCache.filter((cache) => cache.mode === CacheMode.Cache);

    // Act
    const rules = ofType(plan(), 'aws:ecr/pullThroughCacheRule:PullThroughCacheRule');
    const templates = ofType(plan(), 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate');

    // Assess
    expect(rules.map((rule) => rule.inputs.ecrRepositoryPrefix).sort()).toEqual(caches.map((cache) => cache.prefix).sort());
    const pullThroughTemplates = templates.filter((template) => listOf(template.inputs.appliedFors).includes('PULL_THROUGH_CACHE'));
    expect(pullThroughTemplates.map((template) => template.inputs.prefix).sort()).toEqual(caches.map((cache) => cache.prefix).sort());
    for (const cache of caches) {
      const rule = byInput(plan(), 'aws:ecr/pullThroughCacheRule:PullThroughCacheRule', 'ecrRepositoryPrefix', cache.prefix);
      const template = byInput(plan(), 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate', 'prefix', cache.prefix);
      const rendered = renderCreationTemplate(cache, partitionOf(config.registry.region));
      // ECR accepts Docker Hub only as registry-1.docker.io.
      expect(rule.inputs.upstreamRegistryUrl).toBe(/^(index\.)?docker\.io$/.test(cache.upstream) ? 'registry-1.docker.io' : cache.upstream);
      expect(rule.inputs.credentialArn).toBe(cache.credentialArn);
      expect(template.inputs).toMatchObject({ appliedFors: [...rendered.appliedFor], imageTagMutability: rendered.imageTagMutability });
      expect(template.inputs.repositoryPolicy).toBe(rendered.repositoryPolicy);
      expect(template.inputs.lifecyclePolicy).toBe(rendered.lifecyclePolicy);
    }
  });

  it('creates one CREATE_ON_PUSH/REPLICATION creation template per repositoryTemplates entry, rendered by core', () => {
    // Act
    const templates = ofType(plan(), 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate').filter(
      (template) => !listOf(template.inputs.appliedFors).includes('PULL_THROUGH_CACHE'),
    );

    // Assess
    expect(templates.map((template) => template.inputs.prefix).sort()).toEqual(config.repositoryTemplates.map((entry) => entry.prefix).sort());
    for (const entry of config.repositoryTemplates) {
      const template = byInput(plan(), 'aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate', 'prefix', entry.prefix);
      const rendered = renderRepositoryTemplate(entry, partitionOf(config.registry.region));
      expect(template.inputs).toMatchObject({ appliedFors: [...rendered.appliedFor], imageTagMutability: rendered.imageTagMutability, description: rendered.description });
      expect(template.inputs.repositoryPolicy).toBe(rendered.repositoryPolicy);
      expect(template.inputs.lifecyclePolicy).toBe(rendered.lifecyclePolicy);
      // No resource tags and no KMS: ECR needs no customRoleArn for these either.
      expect(template.inputs.customRoleArn).toBeUndefined();
    }
  });

  it('shows one dashboard with a row per deployed automation, on queues, functions and metrics that exist', () => {
    // Prepare: the metric names the workers publish (Powertools addMetric calls in packages/functions)
    const sources = readdirSync(join(ROOT, 'packages', 'functions', 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => readFileSync(join(ROOT, 'packages', 'functions', 'src', file), 'utf8'))
      .join('\n');
    const published = new Set([...sources.matchAll(/addMetric\('([A-Za-z]+)'/g)].map((match) => match[1]));
    const queues = new Set(ofType(plan(), 'aws:sqs/queue:Queue').map((queue) => queue.inputs.name));
    const functions = new Set(ofType(plan(), 'aws:lambda/function:Function').map((fn) => fn.inputs.name));

    // Act
    const [dashboard, ...others] = ofType(plan(), 'aws:cloudwatch/dashboard:Dashboard');
    const widgets = (JSON.parse(dashboard!.inputs.dashboardBody as string) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] }).widgets;

    // Assess
    expect(others).toEqual([]);
    expect(dashboard!.inputs.dashboardName).toBe(topology.bus.name);
    expect(widgets).toHaveLength(withRules.length * 6);
    for (const automation of withRules) {
      const row = widgets.filter((widget) => widget.properties.title.startsWith(`${automation.id}:`)).map((widget) => widget.properties.title.split(': ')[1]);
      expect(row.map((title) => title?.replace(/ \(.*\)$/, ''))).toEqual(['events in', 'actions taken', 'records failed', 'DLQ depth', 'duration p50/p99', 'throttles']);
    }
    for (const metric of widgets.flatMap((widget) => widget.properties.metrics)) {
      const [namespace, name, dimension, value] = metric as string[];
      if (namespace === 'Dockmaster') expect(published, name).toContain(name);
      if (dimension === 'QueueName') expect(queues, value).toContain(value);
      if (dimension === 'FunctionName') expect(functions, value).toContain(value);
      if (dimension === 'service') expect(withRules.map((automation) => automation.id)).toContain(value);
    }
  });

  it('lets only Lambda assume the worker roles', () => {
    for (const role of ofType(plan(), 'aws:iam/role:Role')) {
      // Act
      const statements = policyOf(role.inputs.assumeRolePolicy).Statement;

      // Assess
      expect(statements.map(({ Effect, Action, Principal }) => ({ Effect, Action, Principal })), role.name).toEqual([
        { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    }
  });
});

describe('the plan of the full test configuration', () => {
  it('sends Docker Hub, written docker.io in the configuration, to ECR as registry-1.docker.io', () => {
    // Act
    const rule = byInput(plans.full!, 'aws:ecr/pullThroughCacheRule:PullThroughCacheRule', 'ecrRepositoryPrefix', 'hub');

    // Assess
    expect(rule.inputs.upstreamRegistryUrl).toBe('registry-1.docker.io');
  });
});
