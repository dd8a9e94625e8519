import type { AutomationId } from '@dockmaster/core/constants';
import { queueNames, type Topology } from '@dockmaster/core/topology';
import type { QueueDeclaration } from '../sqs/index.js';

/** Queue names, as infra gives them on AWS: `<bus name>-<automation>` and its `-dlq`, one pair per deployed automation. */
const queueName = (topology: Topology, automation: AutomationId): string => queueNames(topology.bus.name, automation).queue;
const deadLetterQueueName = (topology: Topology, automation: AutomationId): string => queueNames(topology.bus.name, automation).deadLetter;

/**
 * The queues infra creates, from the same topology: only automations with rules get one (infra deploys
 * nothing for the others), with the topology's visibility timeout, retention and redrive settings.
 */
const queueDeclarations = (topology: Topology): QueueDeclaration[] =>
  topology.automations
    .filter((automation) => automation.rules.length > 0)
    .flatMap((automation) => [
      {
        name: deadLetterQueueName(topology, automation.id),
        messageRetentionSeconds: automation.queue.deadLetter.messageRetentionSeconds,
      },
      {
        name: queueName(topology, automation.id),
        visibilityTimeoutSeconds: automation.queue.visibilityTimeoutSeconds,
        messageRetentionSeconds: automation.queue.messageRetentionSeconds,
        maxReceiveCount: automation.queue.deadLetter.maxReceiveCount,
        deadLetterQueueName: deadLetterQueueName(topology, automation.id),
      },
    ]);

export { deadLetterQueueName, queueDeclarations, queueName };
