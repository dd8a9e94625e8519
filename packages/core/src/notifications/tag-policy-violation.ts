import { TagPolicyAction, TagPolicyRule, type TagPolicyViolationDetail } from '../tag-policy/index.js';
import { fitSubject, imageReference, type RenderedMessage } from './message.js';

/** What happened to the tag, in the reader's words. */
const outcome = (detail: TagPolicyViolationDetail): { short: string; sentence: string } => {
  switch (detail.action) {
    case TagPolicyAction.RemovedTag:
      return {
        short: 'tag removed',
        sentence: `The tag was removed (enforce mode). The image ${detail.digest} and its other tags remain; only "${detail.tag}" is gone.`,
      };
    case TagPolicyAction.AlreadyRemoved:
      return { short: 'tag already gone', sentence: 'The tag was already gone when Dockmaster came to remove it (enforce mode).' };
    default:
      return { short: 'audit only', sentence: 'Nothing was changed: the policy is in audit mode. In enforce mode this tag would be removed.' };
  }
};

/**
 * The first thing to do. A moved immutable tag is not fixed by pushing under "a tag the policy allows": the same
 * tag may be allowed, but it must keep naming the image it named first, so the new image needs a new tag.
 */
const firstStep = (detail: TagPolicyViolationDetail): string =>
  detail.violations.some((violation) => violation.rule === TagPolicyRule.ImmutableTag)
    ? `  1. Push the new image under a new tag: "${detail.tag}" is immutable under this policy and keeps naming the image it named first (the violation above says how to put it back).`
    : '  1. Push the image again under a tag the policy allows (the violations above say what passes).';

/** Subject and body of a Tag Policy Violation. */
const renderTagPolicyViolationMessage = (detail: TagPolicyViolationDetail): RenderedMessage => {
  const reference = imageReference(detail.repository, detail.tag, detail.digest);
  const { short, sentence } = outcome(detail);
  const subject = fitSubject('[TAG POLICY] ', reference, ` — violates "${detail.policy}", ${short}`);
  const body = [
    `${reference} violates tag policy "${detail.policy}" (${detail.mode} mode).`,
    sentence,
    '',
    `Image:    ${detail.repository}@${detail.digest}`,
    `Tag:      ${detail.tag}`,
    `Policy:   ${detail.policy} (${detail.mode})`,
    `Team:     ${detail.team ?? '(no owning team: add a scanAlerts.routes entry for this repository)'}`,
    '',
    'Violations:',
    ...detail.violations.map((violation) => `  - ${violation.message} [${violation.rule}]`),
    ...(detail.notes.length > 0 ? ['', 'Notes:', ...detail.notes.map((note) => `  - ${note}`)] : []),
    '',
    'What to do:',
    firstStep(detail),
    `  2. Check a tag before pushing: npx dockmaster check-tag --config dockmaster.yaml ${reference}`,
    `  3. If this tag has to be allowed for a while, add an exemption (tags, reason, expires) to policy "${detail.policy}"`,
    '     in the Dockmaster configuration.',
    '',
    `Push event: ${detail.eventId}`,
  ].join('\n');
  return { subject, body };
};

export { renderTagPolicyViolationMessage };
