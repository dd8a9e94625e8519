export { describeDelivery, describeRunnerEvent, imageRef } from './describe-event.js';
export type { LogLine } from './describe-event.js';
export { LineKind, LiveLog } from './live-log.js';
export type { LiveLogOptions } from './live-log.js';
export { redactSecrets } from './redact.js';
