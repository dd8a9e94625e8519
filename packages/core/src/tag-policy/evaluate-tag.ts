import type { DockmasterConfig, TagPolicyConfig } from '../config/index.js';
import { InputLimit } from '../constants.js';
import { matchesAnyGlob } from '../glob/index.js';
import { findExemptions } from './exemptions.js';
import { findTagPolicy } from './find-policy.js';
import { labelValueTooLong, matchLabelValidator } from './label-validators.js';
import { describeScheme, matchTagScheme } from './tag-schemes.js';
import { type ImageLabels, type PolicyDecision, type TagDecision, TagPolicyRule, type TagViolation } from './types.js';

type EvaluateTagInput = {
  tag: string;
  /** The image's labels, one entry per image; undefined (or empty) when unknown: label rules are then reported as not checked. */
  labels?: ImageLabels;
  now: Date;
};

/** Every tag rule the tag breaks: a team fixing its pipeline needs all reasons at once, not one per push. */
const tagViolations = (policy: TagPolicyConfig, tag: string): TagViolation[] => {
  const violations: TagViolation[] = [];
  const forbidden = policy.forbiddenTags.filter((glob) => matchesAnyGlob([glob], tag, 'tag'));
  if (forbidden.length > 0) {
    violations.push({
      rule: TagPolicyRule.ForbiddenTag,
      message: `tag "${tag}" is forbidden by policy "${policy.name}" (matches ${forbidden.map((glob) => `"${glob}"`).join(', ')}); push an immutable version tag instead`,
    });
  }
  const schemes = policy.allowedTagSchemes;
  if (schemes && !schemes.some((scheme) => matchTagScheme(scheme, tag))) {
    violations.push({
      rule: TagPolicyRule.TagScheme,
      message: `tag "${tag}" matches none of the allowed tag schemes of policy "${policy.name}": ${schemes.map(describeScheme).join(', ')}`,
    });
  }
  return violations;
};

const labelViolations = (policy: TagPolicyConfig, images: ImageLabels): TagViolation[] =>
  images.flatMap(({ platform, labels }) => {
    const where = platform === null ? 'image' : `platform ${platform}`;
    return Object.entries(policy.requiredLabels).flatMap(([name, validator]): TagViolation[] => {
      const value = labels[name];
      if (value === undefined) {
        return [{ rule: TagPolicyRule.RequiredLabel, message: `${where}: required label "${name}" is missing (policy "${policy.name}")` }];
      }
      if (labelValueTooLong(value)) {
        return [
          {
            rule: TagPolicyRule.LabelValue,
            message: `${where}: label "${name}" is ${value.length} characters long; label values are checked up to ${InputLimit.labelValueLength} characters (policy "${policy.name}")`,
          },
        ];
      }
      if (!matchLabelValidator(validator, value)) {
        return [
          {
            rule: TagPolicyRule.LabelValue,
            message: `${where}: label "${name}" = ${JSON.stringify(value)} is not ${describeScheme(validator)} (policy "${policy.name}")`,
          },
        ];
      }
      return [];
    });
  });

/**
 * Judges one tag against the tag policy that applies to its repository (findTagPolicy: the caller has found it
 * already, for instance to know whether labels must be read).
 * An exemption in force covers EVERYTHING (tag and label rules): it exists to let a legacy release train ship
 * unchanged until a date, and those images are exactly the ones without the new labels.
 */
const evaluateTag = (policy: TagPolicyConfig, { tag, labels, now }: EvaluateTagInput): PolicyDecision => {
  if (tag.length > InputLimit.tagLength) {
    // No glob or scheme reads a tag ECR could not hold: the work per push stays bounded whatever the input.
    const message = `tag is ${tag.length} characters long; ECR allows at most ${InputLimit.tagLength}, so no rule of policy "${policy.name}" was checked`;
    return { compliant: false, policy: policy.name, mode: policy.mode, violations: [{ rule: TagPolicyRule.TagScheme, message }], labelsChecked: true, notes: [] };
  }
  const notes: string[] = [];
  const { active, expired } = findExemptions(policy, tag, now);
  for (const exemption of expired) {
    notes.push(`exemption for ${exemption.tags.join(', ')} ("${exemption.reason}") expired at the end of ${exemption.expires} (UTC) and no longer applies`);
  }
  if (active) {
    notes.push(`tag "${tag}" is exempt until the end of ${active.expires} (UTC): ${active.reason}`);
    return { compliant: true, policy: policy.name, mode: policy.mode, violations: [], labelsChecked: true, notes };
  }
  const violations = tagViolations(policy, tag);
  const requiredLabels = Object.keys(policy.requiredLabels);
  let labelsChecked = true;
  if (requiredLabels.length > 0) {
    if (labels === undefined || labels.length === 0) {
      labelsChecked = false;
      notes.push(`required labels not checked (${requiredLabels.join(', ')}): the image's labels were not provided`);
    } else {
      violations.push(...labelViolations(policy, labels));
    }
  }
  return { compliant: violations.length === 0, policy: policy.name, mode: policy.mode, violations, labelsChecked, notes };
};

/** For callers holding only the configuration (`check-tag`): finds the repository's policy, then evaluateTag. */
const evaluateRepositoryTag = (
  config: Pick<DockmasterConfig, 'tagPolicies'>,
  repository: string,
  input: EvaluateTagInput,
): TagDecision => {
  const policy = findTagPolicy(config, repository);
  if (!policy) {
    return { compliant: true, policy: null, mode: null, violations: [], labelsChecked: true, notes: [`no tag policy applies to repository "${repository}"`] };
  }
  return evaluateTag(policy, input);
};

export { evaluateRepositoryTag, evaluateTag };
export type { EvaluateTagInput };
