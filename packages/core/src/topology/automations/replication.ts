import { AutomationId } from '../../constants.js';
import { AwsDetailType, EcrActionResult, EventSource } from '../../events/vocabulary.js';
import type { AutomationSpec } from '../types.js';
import { type AutomationContext, automationSpec } from './automation.js';

/** Reports failed replications; it only reads the event and puts Dockmaster events, so it needs no ECR rights. */
const replicationAutomation = (_context: AutomationContext): AutomationSpec =>
  automationSpec(AutomationId.Replication, {
    description: 'Reports failed image replications.',
    rules: [
      {
        kind: 'event',
        name: 'replication-failed',
        description: 'Dockmaster: failed image replications',
        eventPattern: { source: [EventSource.Ecr], 'detail-type': [AwsDetailType.EcrReplicationAction], detail: { result: [EcrActionResult.Failed] } },
      },
    ],
    permissions: [],
    needsIdempotency: true,
    needsState: false,
  });

export { replicationAutomation };
