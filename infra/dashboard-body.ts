import { AutomationId } from '@dockmaster/core/constants';

/*
 * The operators' CloudWatch dashboard, one row per deployed automation, from metrics that already exist: SQS's
 * and Lambda's own, and what the workers publish with Powertools (namespace Dockmaster, dimension `service` =
 * automation id). No SST globals here, so it is tested outside `sst deploy`; infra/dashboard.ts declares it.
 */

const METRIC_NAMESPACE = 'Dockmaster';

/** The metric each worker publishes when it acts (docs/operations.md, "Metrics"). */
const ACTION_METRIC: Record<AutomationId, string> = {
  [AutomationId.TagPolicy]: 'TagsRemoved',
  [AutomationId.CacheRepository]: 'RepositoriesRepaired',
  [AutomationId.Prepopulate]: 'ImagesPrepopulated',
  [AutomationId.ScanAlert]: 'ScanAlertsSent',
  [AutomationId.Replication]: 'ReplicationsFailed',
};

interface DashboardRow {
  automation: AutomationId;
  queueName: string;
  deadLetterQueueName: string;
  functionName: string;
}

const WIDGET_WIDTH = 4;
const WIDGET_HEIGHT = 6;

const widget = (region: string, row: number, column: number, title: string, metrics: unknown[][], stat = 'Sum') => ({
  type: 'metric',
  x: column * WIDGET_WIDTH,
  y: row * WIDGET_HEIGHT,
  width: WIDGET_WIDTH,
  height: WIDGET_HEIGHT,
  properties: { title, region, view: 'timeSeries', stat, period: 300, metrics },
});

/** The dashboard body (CloudWatch PutDashboard's JSON): per row events in, actions, failures, DLQ depth, duration, throttles. */
const dashboardBody = (region: string, rows: readonly DashboardRow[]): string =>
  JSON.stringify({
    widgets: rows.flatMap((row, index) => [
      widget(region, index, 0, `${row.automation}: events in`, [['AWS/SQS', 'NumberOfMessagesSent', 'QueueName', row.queueName]]),
      widget(region, index, 1, `${row.automation}: actions taken (${ACTION_METRIC[row.automation]})`, [[METRIC_NAMESPACE, ACTION_METRIC[row.automation], 'service', row.automation]]),
      widget(region, index, 2, `${row.automation}: records failed`, [[METRIC_NAMESPACE, 'RecordsFailed', 'service', row.automation]]),
      widget(region, index, 3, `${row.automation}: DLQ depth`, [['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', row.deadLetterQueueName]], 'Maximum'),
      widget(region, index, 4, `${row.automation}: duration p50/p99`, [
        ['AWS/Lambda', 'Duration', 'FunctionName', row.functionName, { stat: 'p50' }],
        ['AWS/Lambda', 'Duration', 'FunctionName', row.functionName, { stat: 'p99' }],
      ], 'p50'),
      widget(region, index, 5, `${row.automation}: throttles`, [['AWS/Lambda', 'Throttles', 'FunctionName', row.functionName]]),
    ]),
  });

export { ACTION_METRIC, dashboardBody, METRIC_NAMESPACE };
export type { DashboardRow };
