import { AutomationId } from '@dockmaster/core/constants';
import { EnvVar } from '../constants.js';
import { lazy } from '../runtime/memoize.js';
import type { ScanAlertDeps } from '../scan-alert/index.js';
import { dockmasterBusFromEnvironment, requireEnv } from './wiring/environment.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';

/** The scan-alert worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createScanAlertHandler = (deps: Partial<SqsBatchHandlerDeps & ScanAlertDeps> = {}) => {
  return createSqsBatchHandler({
    automation: AutomationId.ScanAlert,
    // On the first batch: the message schema (zod), the automation's code and its adapters (zod schemas of the
    // stored state and the manifests) cost nothing at cold start.
    load: async () => {
      const [{ processScanAlertMessage, SCAN_ALERT_IDEMPOTENCY_KEY, ScanAlertMessageSchema }, { createDynamoDbScanAlertStore }, { createEcrImages }, { createPushActivityReader }, { createScanFindingsReader }] =
        await Promise.all([
          import('../scan-alert/index.js'),
          import('../adapters/dynamodb-scan-alert-store.js'),
          import('../adapters/ecr-images.js'),
          import('../adapters/push-activity.js'),
          import('../adapters/scan-findings.js'),
        ]);
      const getAdapters = lazy(
        (): ScanAlertDeps => ({
          findings: deps.findings ?? createScanFindingsReader(),
          images: deps.images ?? createEcrImages(),
          bus: deps.bus ?? dockmasterBusFromEnvironment(),
          store: deps.store ?? createDynamoDbScanAlertStore({ tableName: requireEnv(EnvVar.StateTable) }),
          pushes: deps.pushes ?? createPushActivityReader(),
        }),
      );
      return {
        schema: ScanAlertMessageSchema,
        idempotencyKey: SCAN_ALERT_IDEMPOTENCY_KEY,
        processRecord: (message, context) => processScanAlertMessage(message, context, getAdapters()),
      };
    },
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/scan-alert.handler`. */
const handler = createScanAlertHandler();

export { createScanAlertHandler, handler };
