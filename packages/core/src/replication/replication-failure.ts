import * as z from 'zod';
import type { DockmasterConfig } from '../config/index.js';
import type { ReplicationActionEvent } from '../events/cache.js';
import { owningTeam } from '../ownership/index.js';

/** Detail of the `Replication Failed` event Dockmaster emits; routed to the owning team's alert topic. */
const ReplicationFailedDetailSchema = z.object({
  repository: z.string(),
  digest: z.string().nullable(),
  tag: z.string().nullable(),
  sourceAccount: z.string(),
  sourceRegion: z.string(),
  destinationAccount: z.string(),
  destinationRegion: z.string(),
  team: z.string().nullable(),
  /** What to check, in the words an on-call engineer needs. */
  advice: z.string(),
  eventId: z.string(),
});
type ReplicationFailedDetail = z.output<typeof ReplicationFailedDetailSchema>;

/**
 * Describes a failed replication for the owning team. ECR replicates each push once and never retries, so the
 * image is missing in the destination until someone pushes it again: the advice says how to check and fix.
 */
const describeReplicationFailure = (
  event: ReplicationActionEvent,
  config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>,
): ReplicationFailedDetail => {
  const { detail } = event;
  const repository = detail['repository-name'];
  const reference = detail['image-tag'] ? `${repository}:${detail['image-tag']}` : `${repository}@${detail['image-digest'] ?? '?'}`;
  return {
    repository,
    digest: detail['image-digest'] ?? null,
    tag: detail['image-tag'] ?? null,
    sourceAccount: detail['source-account'],
    sourceRegion: detail['source-region'],
    destinationAccount: event.account,
    destinationRegion: event.region,
    team: owningTeam(config, repository),
    advice:
      `Replication of ${reference} from ${detail['source-account']}/${detail['source-region']} to ` +
      `${event.account}/${event.region} failed and ECR will not retry it. Check the destination registry policy ` +
      `(ecr:ReplicateImage, ecr:CreateRepository) and the repository's tag immutability, then push the image again ` +
      `(aws ecr describe-image-replication-status shows the reason).`,
    eventId: event.id,
  };
};

export { describeReplicationFailure, ReplicationFailedDetailSchema };
export type { ReplicationFailedDetail };
