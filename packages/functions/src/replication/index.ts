export { REPLICATION_IDEMPOTENCY_KEY, reportFailedReplication } from './report-failed-replication.js';
export type { ReplicationDeps } from './report-failed-replication.js';
