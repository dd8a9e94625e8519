import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** A worker's logger and metrics in tests: the production namespace, no log output. */
const silentTelemetry = (serviceName: string): { logger: Logger; metrics: Metrics } => ({
  logger: new Logger({ serviceName, logLevel: 'SILENT' }),
  metrics: new Metrics({ namespace: 'Dockmaster', serviceName }),
});

export { silentTelemetry };
