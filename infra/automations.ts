import type { AutomationSpec, RuleSpec } from '@dockmaster/core/topology';
import { dockmasterBus } from './bus';
import { topology } from './config';
import { pascalCase } from './names';
import { allowRulesToSend } from './queue-policy';
import { configParameter, idempotencyTable } from './storage';

/*
 * One worker per automation of the topology: rules on the default bus (where AWS services publish)
 * -> SQS queue with DLQ -> Lambda with partial batch responses. Automations without rules (nothing in
 * the configuration for them) get no resources at all.
 */

const IDEMPOTENCY_ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

const seconds = (value: number) => `${value} seconds` as const;

const deployRule = (automation: AutomationSpec, rule: RuleSpec, queueArn: $util.Output<string>, dlqArn: $util.Output<string>) => {
  const base = pascalCase(rule.name);
  const eventRule = new aws.cloudwatch.EventRule(
    `${base}Rule`,
    rule.kind === 'event'
      ? { eventBusName: 'default', description: rule.description, eventPattern: JSON.stringify(rule.eventPattern) }
      : // Scheduled rules only exist on the default bus.
        { eventBusName: 'default', description: rule.description, scheduleExpression: rule.scheduleExpression },
  );
  new aws.cloudwatch.EventTarget(`${base}Target`, {
    rule: eventRule.name,
    eventBusName: 'default',
    arn: queueArn,
    // Events EventBridge could not deliver land in the same DLQ as messages the worker could not process.
    deadLetterConfig: { arn: dlqArn },
    retryPolicy: {
      maximumRetryAttempts: automation.delivery.maximumRetryAttempts,
      maximumEventAgeInSeconds: automation.delivery.maximumEventAgeSeconds,
    },
    inputTransformer: rule.kind === 'schedule' ? rule.inputTransformer : undefined,
  });
  return eventRule;
};

const deployAutomation = (automation: AutomationSpec) => {
  const base = pascalCase(automation.id);
  const dlq = new sst.aws.Queue(`${base}Dlq`, {
    transform: { queue: { messageRetentionSeconds: automation.queue.deadLetter.messageRetentionSeconds } },
  });
  const queue = new sst.aws.Queue(`${base}Queue`, {
    dlq: { queue: dlq.arn, retry: automation.queue.deadLetter.maxReceiveCount },
    visibilityTimeout: seconds(automation.queue.visibilityTimeoutSeconds),
    transform: { queue: { messageRetentionSeconds: automation.queue.messageRetentionSeconds } },
  });

  const ruleArns = automation.rules.map((rule) => deployRule(automation, rule, queue.arn, dlq.arn).arn);
  allowRulesToSend(`${base}QueuePolicy`, queue, ruleArns);
  allowRulesToSend(`${base}DlqPolicy`, dlq, ruleArns);

  new aws.cloudwatch.MetricAlarm(`${base}DlqAlarm`, {
    alarmDescription: `Dockmaster ${automation.id}: messages in the dead-letter queue; inspect them and redrive once fixed`,
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: { QueueName: dlq.nodes.queue.name },
    statistic: 'Maximum',
    period: 300,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
  });

  const { workerEnvironment: env } = topology;
  queue.subscribe(
    {
      handler: automation.function.handler,
      runtime: 'nodejs24.x',
      architecture: 'arm64',
      timeout: seconds(automation.function.timeoutSeconds),
      memory: `${automation.function.memoryMb} MB`,
      logging: { format: 'json', retention: '1 month' },
      environment: {
        [env.configParameter]: configParameter.name,
        [env.busName]: dockmasterBus.name,
        ...(automation.needsIdempotency ? { [env.idempotencyTable]: idempotencyTable.name } : {}),
      },
      // Explicit statements instead of `link`: linking would grant sqs:*/dynamodb:* on the linked resources.
      permissions: [
        ...automation.permissions.map((statement) => ({ actions: statement.actions, resources: statement.resources })),
        { actions: ['events:PutEvents'], resources: [dockmasterBus.arn] },
        ...(automation.needsIdempotency ? [{ actions: IDEMPOTENCY_ITEM_ACTIONS, resources: [idempotencyTable.arn] }] : []),
      ],
    },
    { batch: { size: automation.batch.size, window: seconds(automation.batch.windowSeconds), partialResponses: true } },
  );
  return { id: automation.id, queue, dlq };
};

const workers = topology.automations.filter((automation) => automation.rules.length > 0).map(deployAutomation);

export { workers };
