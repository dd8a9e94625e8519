export type { ScanAlertDeps } from './deps.js';
export { evaluateScanEvent } from './evaluate-scan-event.js';
export { entryBytes, MAX_FINDINGS_IN_EVENT, scanAlertEvent, scanAlertResolvedEvent, scanningSilentEvent } from './events.js';
export type { ScanningSilentDetail } from './events.js';
export { SCAN_ALERT_IDEMPOTENCY_KEY, ScanAlertMessageSchema, scanRecordIdempotencyKey, WATCHDOG_KIND } from './message-schema.js';
export type { ScanAlertMessage } from './message-schema.js';
export { processScanAlertMessage } from './process-message.js';
export { isWatched, runWatchdog } from './run-watchdog.js';
