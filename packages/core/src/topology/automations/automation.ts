import type { AutomationId } from '../../constants.js';
import type { DockmasterConfig } from '../../config/index.js';
import type { RegistryLocation } from '../arn.js';
import { batchSpec, DELIVERY, functionSpec, queueSpec } from '../limits.js';
import type { AutomationSpec, IamStatement, RuleSpec, StackGrant, StackResource } from '../types.js';
import { actionsOf, workerCalls } from '../worker-calls.js';
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

/**
 * What every worker gets on the stack's own resources, and the variables naming them: the bus it reports
 * on, its own DLQ (a permanently failing record is sent there at once, with the reason in its attributes),
 * and the tables and queue it asked for.
 */
const stackWiring = (id: AutomationId, parts: AutomationParts): { stackGrants: StackGrant[]; environment: DeployedWorkerVariable[] } => {
  const calls = workerCalls(id);
  /** The grant `sid` on the resource, with the actions of the calls worker-calls.ts lists under that Sid. */
  const grant = (sid: string, resource: StackResource): StackGrant => {
    const listed = calls[sid];
    if (listed === undefined) throw new Error(`internal: worker-calls.ts lists no calls of ${id} under the statement ${sid}`);
    return { sid, actions: actionsOf(listed), resource };
  };
  const grants: StackGrant[] = [
    // The config table holds one item, the configuration: GetItem on the table is exactly that item.
    grant('ReadConfigurationContent', 'config-table'),
    grant('PutDockmasterEvents', 'bus'),
    grant('SendToOwnDeadLetterQueue', 'dead-letter-queue'),
    // A paused automation sends each event back to its own queue, delayed, to keep it until the resume.
    grant('KeepEventsWhilePaused', 'own-queue'),
  ];
  const environment: DeployedWorkerVariable[] = ['configParameter', 'configTable', 'busName', 'deadLetterQueueUrl'];
  if (parts.needsIdempotency) {
    grants.push(grant('IdempotencyRecords', 'idempotency-table'));
    environment.push('idempotencyTable');
  }
  if (parts.needsState) {
    grants.push(grant('StateRecords', 'state-table'));
    environment.push('stateTable');
  }
  if (parts.fansOutToOwnQueue === true) {
    grants.push(grant('FanOutToOwnQueue', 'own-queue'));
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
  ...stackWiring(id, parts),
  needsIdempotency: parts.needsIdempotency,
  needsState: parts.needsState,
});

export { automationSpec };
export type { AutomationContext };
