import { AwsDetailType } from '@dockmaster/core/events/vocabulary';
import type { EcrTagMutability } from '../adapters/ecr-tag-mutability.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import { checkPushedTag, type TagPolicyDeps } from './check-pushed-tag.js';
import { keepTagMutability, reconcileTagMutability } from './keep-tag-mutability.js';
import type { TagPolicyMessage } from './messages.js';

type TagPolicyWorkerDeps = TagPolicyDeps & { tagMutability: EcrTagMutability };

/**
 * One message of the tag-policy queue. A push is judged (check-pushed-tag.ts), then the repository's tag
 * mutability is brought to what its policy compiles to, so a repository gets ECR's own protection with its
 * first push. A failure there is logged, not retried with the record (that would judge the push again): the
 * sweep repairs it. A sweep message checks every repository under a policy ECR enforces.
 */
const processTagPolicyMessage = async (message: TagPolicyMessage, context: WorkerContext, deps: TagPolicyWorkerDeps): Promise<RecordOutcome> => {
  if ('kind' in message || message['detail-type'] === AwsDetailType.ScheduledEvent) return reconcileTagMutability(context, deps.tagMutability);
  const outcome = await checkPushedTag(message, context, deps);
  const repository = message.detail['repository-name'];
  try {
    const mutability = await keepTagMutability(repository, context, deps.tagMutability, 'push');
    return mutability === 'repaired' ? { ...outcome, tagMutability: mutability } : outcome;
  } catch (error) {
    context.logger.warn(`could not set the tag mutability of ${repository}; the next sweep repairs it`, { repository, error: (error as Error).message });
    return outcome;
  }
};

export { processTagPolicyMessage };
export type { TagPolicyWorkerDeps };
