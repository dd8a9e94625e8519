import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DockmasterEventType } from '@dockmaster/core/constants';
import type { EcrImageActionEvent } from '@dockmaster/core/events/ecr-image-action';
import { EcrActionResult, EcrActionType } from '@dockmaster/core/events/vocabulary';
import { renderTagPolicyViolationMessage } from '@dockmaster/core/notifications';
import { owningTeam } from '@dockmaster/core/ownership';
import type { TagPolicyConfig } from '@dockmaster/core/config';
import {
  compileTagImmutability,
  evaluateTag,
  findTagPolicy,
  type ImageLabels,
  isImmutableTag,
  TagImmutabilityEnforcement,
  TagPolicyAction,
  TagPolicyMode,
  TagPolicyRule,
  type TagPolicyViolationDetail,
  type TagViolation,
} from '@dockmaster/core/tag-policy';
import { ImageGoneError } from '../adapters/ecr-image-errors.js';
import type { EcrImages } from '../adapters/ecr-images.js';
import type { DockmasterBus } from '../adapters/dockmaster-bus.js';
import type { TagDigestStore } from '../adapters/tag-digest-store.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';

type TagPolicyDeps = {
  images: EcrImages;
  bus: DockmasterBus;
  /** The first digest per immutable tag (state table); undefined when the worker has no state table. */
  tagDigests?: TagDigestStore | undefined;
};

/** The `decision` field of the worker's one log line per judged record. */
const TagPolicyDecision = {
  Compliant: 'compliant',
  Violation: 'violation',
  TagMovedOn: 'tag moved on',
} as const;

/** Idempotency key: the EventBridge event plus what it is about, so a replayed event id for another image still runs. */
const TAG_POLICY_IDEMPOTENCY_KEY = '[id, detail."repository-name", detail."image-tag", detail."image-digest"]';

const skipped = (context: WorkerContext, reason: string, details: Record<string, unknown>): RecordOutcome => {
  context.logger.info(`skipped: ${reason}`, details);
  return { outcome: 'skipped', reason };
};

/**
 * The push-event side of `tagImmutability`, for policies ECR cannot express (ECR refuses the push itself for the
 * others): a violation when the pushed tag is immutable and Dockmaster first saw it naming another digest. The
 * first push Dockmaster sees of a tag decides; events ECR delivers out of order can make a later digest "first".
 */
const movedImmutableTag = async (
  policy: TagPolicyConfig,
  push: { repository: string; tag: string; digest: string },
  deps: TagPolicyDeps,
  context: WorkerContext,
): Promise<TagViolation | undefined> => {
  const immutability = policy.tagImmutability;
  if (immutability === undefined || compileTagImmutability(policy).enforcement !== TagImmutabilityEnforcement.PushEvent) return undefined;
  if (!isImmutableTag(immutability, push.tag)) return undefined;
  if (deps.tagDigests === undefined) {
    context.logger.warn(`tag immutability of tag policy "${policy.name}" is not checked: the worker has no state table (redeploy with this configuration)`, push);
    return undefined;
  }
  const first = await deps.tagDigests.firstDigest(push.repository, push.tag, push.digest);
  if (first === push.digest) return undefined;
  return {
    rule: TagPolicyRule.ImmutableTag,
    message:
      `tag "${push.tag}" is immutable under tag policy "${policy.name}" and named ${first} when Dockmaster first saw it; this push moved it to ${push.digest}. ` +
      `The earlier image is still in the repository (untagged unless it has other tags); to restore the tag, put its manifest back under "${push.tag}"`,
  };
};

/**
 * Judges one pushed tag against the tag policy and acts on it. Enforce mode removes only the offending tag,
 * and only while it still names the judged digest (a late event for a tag pushed again since changes nothing);
 * audit mode changes nothing. Every decision with a violation becomes a Tag Policy Violation event, with the
 * readable message for the owning team.
 */
const checkPushedTag = async (event: EcrImageActionEvent, context: WorkerContext, deps: TagPolicyDeps): Promise<RecordOutcome> => {
  const { logger, metrics, config, now } = context;
  const detail = event.detail;
  const repository = detail['repository-name'];
  const digest = detail['image-digest'];
  const tag = detail['image-tag'];
  if (detail['action-type'] !== EcrActionType.Push || detail.result !== EcrActionResult.Success) {
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

  const evaluated = evaluateTag(policy, { tag, labels, now });
  const moved = await movedImmutableTag(policy, { repository, tag, digest }, deps, context);
  const decision = moved === undefined ? evaluated : { ...evaluated, compliant: false, violations: [...evaluated.violations, moved] };
  const { policy: policyName, mode } = decision;
  // One line per judged record says what was decided (compliant, violation, tag moved on) and about what.
  const subject = { repository, tag, digest, policy: policyName, mode };
  if (decision.compliant) {
    logger.info(`tag policy decision: compliant: ${repository}:${tag} (${digest}) satisfies tag policy "${policyName}"`, {
      decision: TagPolicyDecision.Compliant,
      ...subject,
      notes: decision.notes,
    });
    metrics.addMetric('TagsCompliant', MetricUnit.Count, 1);
    return { outcome: 'compliant', policy: decision.policy };
  }

  const reasons = decision.violations.map((violation) => violation.message).join('; ');
  let action: TagPolicyViolationDetail['action'] = TagPolicyAction.None;
  if (mode === TagPolicyMode.Enforce) {
    const removal = await deps.images.removeTag(repository, tag, digest);
    if (removal.kind === 'tag-moved') {
      // A late event (SQS retry, slow batch, redrive): the tag names another image now, which its own push
      // event judges. The judged image lost nothing either: it was never (or no longer) under this tag.
      logger.info(
        `tag policy decision: tag moved on: ${repository}:${tag} now names ${removal.currentDigest}, not the judged image ${digest}; ` +
          'nothing removed and no violation reported (the newer push is judged by its own event)',
        { decision: TagPolicyDecision.TagMovedOn, ...subject, currentDigest: removal.currentDigest, violations: decision.violations },
      );
      metrics.addMetric('TagsMovedOn', MetricUnit.Count, 1);
      return { outcome: 'tag-moved', policy: policyName, currentDigest: removal.currentDigest };
    }
    action = removal.kind === 'removed-tag' ? TagPolicyAction.RemovedTag : TagPolicyAction.AlreadyRemoved;
    metrics.addMetric('TagsRemoved', MetricUnit.Count, action === TagPolicyAction.RemovedTag ? 1 : 0);
  }
  const done =
    action === TagPolicyAction.None
      ? 'audit mode: nothing changed'
      : `${action === TagPolicyAction.RemovedTag ? 'removed the tag' : 'the tag was already gone'} (enforce mode); only the tag, digest ${digest} and its other tags remain; push a compliant tag to publish the image`;
  logger.warn(`tag policy decision: violation: ${repository}:${tag} violates tag policy "${policyName}": ${reasons}. ${done}`, {
    decision: TagPolicyDecision.Violation,
    ...subject,
    action,
    violations: decision.violations,
  });

  const violation: TagPolicyViolationDetail = {
    repository,
    tag,
    digest,
    policy: policyName,
    mode,
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

export { checkPushedTag, TAG_POLICY_IDEMPOTENCY_KEY, TagPolicyDecision };
export type { TagPolicyDeps };
