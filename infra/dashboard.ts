import { topology } from './config';
import { workers } from './automations';
import { dashboardBody } from './dashboard-body';

/** One CloudWatch dashboard per stage, a row per deployed automation (docs/operations.md, "The dashboard"). */
const dashboard = new aws.cloudwatch.Dashboard('DockmasterDashboard', {
  dashboardName: topology.bus.name,
  dashboardBody: $util
    .all(workers.map(({ id, queueName, deadLetterQueueName, functionName }) => $util.all([id, queueName, deadLetterQueueName, functionName])))
    .apply((rows) => dashboardBody(topology.registry.region, rows.map(([automation, queueName, deadLetterQueueName, functionName]) => ({ automation, queueName, deadLetterQueueName, functionName })))),
});

export { dashboard };
