import type { AutomationId } from '../../constants.js';
import type { DockmasterConfig } from '../../config/index.js';
import type { RegistryLocation } from '../arn.js';
import { batchSpec, DELIVERY, functionSpec, queueSpec } from '../limits.js';
import type { AutomationSpec, IamStatement, RuleSpec } from '../types.js';

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
}

/** Adds the per-worker sizing (queue, batch, function) to what an automation builder decided. */
const automationSpec = (id: AutomationId, parts: AutomationParts): AutomationSpec => ({
  id,
  description: parts.description,
  rules: parts.rules,
  delivery: { ...DELIVERY },
  queue: queueSpec(id),
  batch: batchSpec(id),
  function: functionSpec(id),
  permissions: parts.permissions,
  needsIdempotency: parts.needsIdempotency,
});

export { automationSpec };
export type { AutomationContext };
