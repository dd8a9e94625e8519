/*
 * `@dockmaster/functions/testing`: the test factories of the workers, for tests in other packages and in the
 * repository's test/ tree (so none of them reaches into this package's src/ or test/ by path). Side-effect
 * free: the dynalite helpers (test/local-dynamodb.ts) register vitest hooks when called and stay local.
 */
export { awsSampleEvent, ecrPushEvent, invokeWorker, lambdaContextFactory, sqsEventFactory, sqsRecordFactory } from './factories.js';
export type { PushVariant } from './factories.js';
export { FakeEcr, sha256 } from './fake-ecr.js';
export type { EcrMock, PlatformImage } from './fake-ecr.js';
export { recordingPausedQueue } from './kept-while-paused.js';
export { emittedEvents, putEventsEntries } from './put-events.js';
export type { EmittedEvent } from './put-events.js';
export { silentTelemetry } from './telemetry.js';
export {
  createRepositoryApiCall,
  createRepositoryServiceEvent,
  pullThroughCacheAction,
  reconcileScheduledEvent,
  replicationSuccess,
} from './cache-repository/cache-events.js';
export {
  basicScanEvent,
  exampleConfig,
  findingsFixture,
  FindingsServer,
  inspectorFindingEvent,
  inspectorScanEvent,
  splitInTwoPages,
  withoutVulnerabilities,
} from './scan-alert/support.js';
export type { FindingFields, ImageFields } from './scan-alert/support.js';
