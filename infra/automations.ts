import { queueNames, WORKER_NODEJS, type AutomationSpec, type DeployedWorkerVariable, type RuleSpec, type StackResource } from '@dockmaster/core/topology';
import { alarmTopic } from './alerts';
import { dockmasterBus } from './bus';
import { configParameterName, topology } from './config';
import { deadLetterAlarm } from './dead-letter-alarm';
import { pascalCase } from './names';
import { checkInlinePolicySize } from './policy-limits';
import { allowRulesToSend } from './queue-policy';
import { configTable, idempotencyTable, stateTable } from './storage';

/*
 * One worker per automation of the topology: rules on the default bus (where AWS services publish)
 * -> SQS queue with DLQ -> Lambda with partial batch responses. Automations without rules (nothing in
 * the configuration for them) get no resources at all. The topology says which variables each worker
 * gets and what it may do with the stack's own resources; this file only fills in names and ARNs.
 */

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
  const target = new aws.cloudwatch.EventTarget(`${base}Target`, {
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
  return { eventRule, target };
};

const deployAutomation = (automation: AutomationSpec) => {
  const base = pascalCase(automation.id);
  // Fixed names (as locally), so that `dockmaster redrive --stage <stage>` finds them.
  const names = queueNames(topology.bus.name, automation.id);
  const dlq = new sst.aws.Queue(`${base}Dlq`, {
    transform: { queue: { name: names.deadLetter, messageRetentionSeconds: automation.queue.deadLetter.messageRetentionSeconds } },
  });
  const queue = new sst.aws.Queue(`${base}Queue`, {
    dlq: { queue: dlq.arn, retry: automation.queue.deadLetter.maxReceiveCount },
    visibilityTimeout: seconds(automation.queue.visibilityTimeoutSeconds),
    transform: { queue: { name: names.queue, messageRetentionSeconds: automation.queue.messageRetentionSeconds } },
  });

  const rules = automation.rules.map((rule) => deployRule(automation, rule, queue.arn, dlq.arn));
  const ruleArns = rules.map(({ eventRule }) => eventRule.arn);
  const queuePolicy = allowRulesToSend(`${base}QueuePolicy`, queue, ruleArns);
  const dlqPolicy = allowRulesToSend(`${base}DlqPolicy`, dlq, ruleArns);
  // Everything an event needs to reach the queue; the config marker is written only after all of it exists.
  const delivery = [...rules.flatMap(({ eventRule, target }) => [eventRule, target]), queuePolicy, dlqPolicy];

  deadLetterAlarm(
    `${base}DlqAlarm`,
    {
      name: names.deadLetterAlarm,
      description: `Dockmaster ${automation.id}: messages in the dead-letter queue; inspect them and redrive once fixed`,
      queueName: dlq.nodes.queue.name,
    },
    alarmTopic,
  );

  // The stack's resources as this worker sees them: its own queue and DLQ, the shared bus and tables.
  const arnOf: Record<StackResource, $util.Input<string>> = {
    bus: dockmasterBus.arn,
    'config-table': configTable.arn,
    'idempotency-table': idempotencyTable.arn,
    'state-table': stateTable.arn,
    'own-queue': queue.arn,
    'dead-letter-queue': dlq.arn,
  };
  // Local-only variables (DOCKMASTER_UPSTREAM_ENDPOINTS) are absent: infra never sets them.
  const valueOf: Record<DeployedWorkerVariable, $util.Input<string>> = {
    // The name, not the resource: the marker is written after the workers' rules exist (infra/storage.ts).
    configParameter: configParameterName,
    configTable: configTable.name,
    busName: dockmasterBus.name,
    idempotencyTable: idempotencyTable.name,
    stateTable: stateTable.name,
    prepopulateQueueUrl: queue.url,
    // Every function has its own environment here, so the variable is the plain URL of the worker's own DLQ.
    deadLetterQueueUrl: dlq.url,
  };
  const subscriber = queue.subscribe(
    {
      handler: automation.function.handler,
      runtime: automation.function.runtime,
      architecture: automation.function.architecture,
      nodejs: WORKER_NODEJS,
      timeout: seconds(automation.function.timeoutSeconds),
      memory: `${automation.function.memoryMb} MB`,
      logging: { format: 'json', retention: '1 month' },
      environment: Object.fromEntries(automation.environment.map((variable) => [topology.workerEnvironment[variable], valueOf[variable]])),
      // Trust Lambda only. SST 4.17.1 decides between its deploy and `sst dev` trust policies with `!dev` on an
      // Output (function.ts createRole), which is always false, so every function role would also trust the
      // account root (any principal of the account allowed sts:AssumeRole could act as the worker).
      // The inline policy is checked against IAM's size limit before the role is created (infra/policy-limits.ts).
      transform: {
        role: (args) => {
          args.assumeRolePolicy = aws.iam.assumeRolePolicyForPrincipal({ Service: 'lambda.amazonaws.com' });
          args.inlinePolicies = $util.output(args.inlinePolicies ?? []).apply((policies) => checkInlinePolicySize(automation.id, policies));
        },
      },
      // Explicit statements instead of `link`: linking would grant sqs:*/dynamodb:* on the linked resources.
      // sqs:SendMessage also authorises SendMessageBatch (prepopulate's fan-out).
      permissions: [
        ...automation.permissions.map((statement) => ({ actions: statement.actions, resources: statement.resources })),
        ...automation.stackGrants.map((grant) => ({ actions: grant.actions, resources: [arnOf[grant.resource]] })),
      ],
    },
    { batch: { size: automation.batch.size, window: seconds(automation.batch.windowSeconds), partialResponses: true } },
  );
  return { id: automation.id, queue, dlq, delivery, queueName: names.queue, deadLetterQueueName: names.deadLetter, functionName: subscriber.apply((s) => s.nodes.function.name) };
};

const workers = topology.automations.filter((automation) => automation.rules.length > 0).map(deployAutomation);

export { workers };
