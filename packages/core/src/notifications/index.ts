export { renderCacheSyncFailedMessage } from './cache-sync-failed.js';
export { fitSubject, imageReference, MAX_SUBJECT_LENGTH, RenderedMessageSchema } from './message.js';
export type { RenderedMessage } from './message.js';
export { renderPrepopulationFailedMessage } from './prepopulation-failed.js';
export type { PrepopulationFailure } from './prepopulation-failed.js';
export { renderReplicationFailedMessage } from './replication-failed.js';
export { renderScanningSilentMessage } from './scanning-silent.js';
export type { ScanningSilence } from './scanning-silent.js';
export { renderTagPolicyViolationMessage } from './tag-policy-violation.js';
