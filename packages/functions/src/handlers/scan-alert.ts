import { AutomationId } from '@dockmaster/core/constants';
import { createEcrImages } from '../adapters/ecr-images.js';
import { createScanFindingsReader } from '../adapters/scan-findings.js';
import { EnvVar, requireEnv } from '../constants.js';
import { createDockmasterBus } from '../dockmaster-bus.js';
import {
  createDynamoDbScanAlertStore,
  createPushActivityReader,
  processScanAlertMessage,
  requireStateTable,
  SCAN_ALERT_IDEMPOTENCY_KEY,
  ScanAlertMessageSchema,
  type ScanAlertDeps,
} from '../scan-alert/index.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from '../sqs-batch-handler.js';

/** The scan-alert worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createScanAlertHandler = (deps: Partial<SqsBatchHandlerDeps & ScanAlertDeps> = {}) => {
  let adapters: ScanAlertDeps | undefined;
  // Resolved on first use so that importing this module needs no environment.
  const getAdapters = (): ScanAlertDeps =>
    (adapters ??= {
      findings: deps.findings ?? createScanFindingsReader(),
      images: deps.images ?? createEcrImages(),
      bus: deps.bus ?? createDockmasterBus({ busName: requireEnv(EnvVar.BusName) }),
      store: deps.store ?? createDynamoDbScanAlertStore({ tableName: requireStateTable() }),
      pushes: deps.pushes ?? createPushActivityReader(),
    });
  return createSqsBatchHandler({
    automation: AutomationId.ScanAlert,
    schema: ScanAlertMessageSchema,
    idempotencyKey: SCAN_ALERT_IDEMPOTENCY_KEY,
    processRecord: (message, context) => processScanAlertMessage(message, context, getAdapters()),
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/scan-alert.handler`. */
const handler = createScanAlertHandler();

export { createScanAlertHandler, handler };
