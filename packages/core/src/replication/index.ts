export { describeReplicationFailure, ReplicationFailedDetailSchema } from './replication-failure.js';
export type { ReplicationFailedDetail } from './replication-failure.js';
