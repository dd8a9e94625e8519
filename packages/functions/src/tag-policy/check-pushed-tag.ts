import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DockmasterEventType } from '@dockmaster/core/constants';
import type { EcrImageActionEvent } from '@dockmaster/core/events/ecr-image-action';
import { renderTagPolicyViolationMessage } from '@dockmaster/core/notifications';
import { owningTeam } from '@dockmaster/core/ownership';
import {
  evaluateTag,
  findTagPolicy,
  type ImageLabels,
  TagPolicyAction,
  type TagPolicyViolationDetail,
} from '@dockmaster/core/tag-policy';
import { type EcrImages, ImageGoneError } from '../adapters/ecr-images.js';
import type { DockmasterBus } from '../dockmaster-bus.js';
import type { RecordOutcome, WorkerContext } from '../sqs-batch-handler.js';

type TagPolicyDeps = { images: EcrImages; bus: DockmasterBus };

/** Idempotency key: the EventBridge event plus what it is about, so a replayed event id for another image still runs. */
const TAG_POLICY_IDEMPOTENCY_KEY = '[id, detail."repository-name", detail."image-tag", detail."image-digest"]';

const skipped = (context: WorkerContext, reason: string, details: Record<string, unknown>): RecordOutcome => {
  context.logger.info(`skipped: ${reason}`, details);
  return { outcome: 'skipped', reason };
};

/**
 * Judges one pushed tag against the tag policy and acts on it. Enforce mode removes only the offending tag;
 * audit mode changes nothing. Every decision with a violation becomes a Tag Policy Violation event, with the
 * readable message for the owning team.
 */
const checkPushedTag = async (event: EcrImageActionEvent, context: WorkerContext, deps: TagPolicyDeps): Promise<RecordOutcome> => {
  const { logger, metrics, config, now } = context;
  const detail = event.detail;
  const repository = detail['repository-name'];
  const digest = detail['image-digest'];
  const tag = detail['image-tag'];
  if (detail['action-type'] !== 'PUSH' || detail.result !== 'SUCCESS') {
    return skipped(context, 'not a successful push', { actionType: detail['action-type'], result: detail.result });
  }
  // The child manifests of an index arrive as untagged pushes; the index is judged once, through its tagged push.
  if (tag === undefined) return skipped(context, 'untagged push (for example a platform image of an index)', { repository, digest });

  const policy = findTagPolicy(config, repository);
  if (!policy) return skipped(context, 'no tag policy applies to the repository', { repository, tag });

  let labels: ImageLabels | undefined;
  if (Object.keys(policy.requiredLabels).length > 0) {
    try {
      labels = await deps.images.readImageLabels(repository, digest);
    } catch (error) {
      if (error instanceof ImageGoneError) return skipped(context, 'the pushed image no longer exists', { repository, tag, digest });
      throw error;
    }
  }

  const decision = evaluateTag({ config, repository, tag, labels, now });
  logger.info('tag policy decision', { repository, tag, digest, decision });
  if (decision.compliant) {
    metrics.addMetric('TagsCompliant', MetricUnit.Count, 1);
    return { outcome: 'compliant', policy: decision.policy };
  }

  let action: TagPolicyViolationDetail['action'] = TagPolicyAction.None;
  if (decision.mode === 'enforce') {
    action = await deps.images.removeTag(repository, tag);
    logger.warn(
      `removed tag ${repository}:${tag} because it violates tag policy "${decision.policy}" in enforce mode: ` +
        `${decision.violations.map((violation) => violation.message).join('; ')}. ` +
        `Only the tag was removed (digest ${digest} and its other tags remain); push a compliant tag to publish the image.`,
      { repository, tag, digest, action },
    );
    metrics.addMetric('TagsRemoved', MetricUnit.Count, action === TagPolicyAction.RemovedTag ? 1 : 0);
  }

  const violation: TagPolicyViolationDetail = {
    repository,
    tag,
    digest,
    policy: decision.policy ?? policy.name,
    mode: decision.mode ?? policy.mode,
    violations: decision.violations,
    notes: decision.notes,
    action,
    eventId: event.id,
    team: owningTeam(config, repository),
  };
  // `message` is what the owning team's e-mail says (the team topic's input transformer sends subject and body).
  await deps.bus.emitEvents([
    { detailType: DockmasterEventType.TagPolicyViolation, detail: { ...violation, message: renderTagPolicyViolationMessage(violation) } },
  ]);
  metrics.addMetric('TagPolicyViolations', MetricUnit.Count, 1);
  return { outcome: 'violation', action, policy: violation.policy };
};

export { checkPushedTag, TAG_POLICY_IDEMPOTENCY_KEY };
export type { TagPolicyDeps };
