import type { AutomationId } from '../../constants.js';
import type { DockmasterConfig } from '../../config/index.js';
import type { RegistryLocation } from '../arn.js';
import { batchSpec, DELIVERY, functionSpec, queueSpec } from '../limits.js';
import type { AutomationSpec, IamStatement, RuleSpec, StackGrant } from '../types.js';
import type { DeployedWorkerVariable } from '../worker-environment.js';

/** What every automation builder gets. */
interface AutomationContext {
  config: DockmasterConfig;
  registry: RegistryLocation;
  configParameterName: string;
}

interface AutomationParts {
  description: string;
  rules: RuleSpec[];
  permissions: IamStatement[];
  needsIdempotency: boolean;
  needsState: boolean;
  /** The worker sends messages to its own queue (prepopulate's fan-out). */
  fansOutToOwnQueue?: boolean;
}

/** Item-level actions on a DynamoDB table; never Scan/Query or table administration. */
const TABLE_ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * What every worker gets on the stack's own resources, and the variables naming them: the bus it reports
 * on, its own DLQ (a permanently failing record is sent there at once, with the reason in its attributes),
 * and the tables and queue it asked for.
 */
const stackWiring = (parts: AutomationParts): { stackGrants: StackGrant[]; environment: DeployedWorkerVariable[] } => {
  const grants: StackGrant[] = [
    // The config table holds one item, the configuration: GetItem on the table is exactly that item.
    { sid: 'ReadConfigurationContent', actions: ['dynamodb:GetItem'], resource: 'config-table' },
    { sid: 'PutDockmasterEvents', actions: ['events:PutEvents'], resource: 'bus' },
    { sid: 'SendToOwnDeadLetterQueue', actions: ['sqs:SendMessage'], resource: 'dead-letter-queue' },
    // A paused automation sends each event back to its own queue, delayed, to keep it until the resume.
    { sid: 'KeepEventsWhilePaused', actions: ['sqs:GetQueueUrl', 'sqs:SendMessage'], resource: 'own-queue' },
  ];
  const environment: DeployedWorkerVariable[] = ['configParameter', 'configTable', 'busName', 'deadLetterQueueUrl'];
  if (parts.needsIdempotency) {
    grants.push({ sid: 'IdempotencyRecords', actions: [...TABLE_ITEM_ACTIONS], resource: 'idempotency-table' });
    environment.push('idempotencyTable');
  }
  if (parts.needsState) {
    grants.push({ sid: 'StateRecords', actions: [...TABLE_ITEM_ACTIONS], resource: 'state-table' });
    environment.push('stateTable');
  }
  if (parts.fansOutToOwnQueue === true) {
    grants.push({ sid: 'FanOutToOwnQueue', actions: ['sqs:SendMessage'], resource: 'own-queue' });
    environment.push('prepopulateQueueUrl');
  }
  return { stackGrants: grants, environment };
};

/** Adds the per-worker sizing (queue, batch, function) and stack wiring to what an automation builder decided. */
const automationSpec = (id: AutomationId, parts: AutomationParts): AutomationSpec => ({
  id,
  description: parts.description,
  rules: parts.rules,
  delivery: { ...DELIVERY },
  queue: queueSpec(id),
  batch: batchSpec(id),
  function: functionSpec(id),
  permissions: parts.permissions,
  ...stackWiring(parts),
  needsIdempotency: parts.needsIdempotency,
  needsState: parts.needsState,
});

export { automationSpec, TABLE_ITEM_ACTIONS };
export type { AutomationContext };
