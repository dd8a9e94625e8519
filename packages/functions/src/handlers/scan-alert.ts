import { AutomationId } from '@dockmaster/core/constants';
import { createDynamoDbScanAlertStore } from '../adapters/dynamodb-scan-alert-store.js';
import { createEcrImages } from '../adapters/ecr-images.js';
import { createPushActivityReader } from '../adapters/push-activity.js';
import { createScanFindingsReader } from '../adapters/scan-findings.js';
import { EnvVar } from '../constants.js';
import { lazy } from '../runtime/memoize.js';
import type { ScanAlertDeps } from '../scan-alert/index.js';
import { dockmasterBusFromEnvironment, requireEnv } from './wiring/environment.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';

/** The scan-alert worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createScanAlertHandler = (deps: Partial<SqsBatchHandlerDeps & ScanAlertDeps> = {}) => {
  return createSqsBatchHandler({
    automation: AutomationId.ScanAlert,
    // On the first batch: the message schema (zod) and the automation's code cost nothing at cold start. The
    // adapters stay static: an SDK package that a lazily imported module also imports is evaluated whole at load.
    load: async () => {
      const { processScanAlertMessage, SCAN_ALERT_IDEMPOTENCY_KEY, ScanAlertMessageSchema } = await import('../scan-alert/index.js');
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
