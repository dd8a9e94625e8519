import { MessageKind } from '@dockmaster/core/constants';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import type { ScanAlertDeps } from './deps.js';
import { evaluateScanEvent } from './evaluate-scan-event.js';
import type { ScanAlertMessage } from './message-schema.js';
import { runWatchdog } from './run-watchdog.js';

/** One message of the scan-alert queue: a scan result to evaluate, or a watchdog run. */
const processScanAlertMessage = (message: ScanAlertMessage, context: WorkerContext, deps: ScanAlertDeps): Promise<RecordOutcome> =>
  message.kind === MessageKind.Watchdog ? runWatchdog(context, deps) : evaluateScanEvent(message.event, context, deps);

export { processScanAlertMessage };
