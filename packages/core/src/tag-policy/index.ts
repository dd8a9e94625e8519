export { evaluateRepositoryTag, evaluateTag } from './evaluate-tag.js';
export type { EvaluateTagInput } from './evaluate-tag.js';
export { findExemptions } from './exemptions.js';
export type { Exemption, ExemptionLookup } from './exemptions.js';
export { findTagPolicy } from './find-policy.js';
export { globCovers, shadowedTagPolicies } from './shadowing.js';
export type { ShadowedTagPolicy } from './shadowing.js';
export { parseImageReference } from './image-reference.js';
export type { ImageReference } from './image-reference.js';
export { matchLabelValidator } from './label-validators.js';
export { matchTagScheme } from './tag-schemes.js';
export { BuiltInLabelValidator, BuiltInTagScheme, TagImmutabilityDefault, TagPolicyMode, TagPolicyRule } from './types.js';
export type { ImageLabels, PolicyDecision, TagDecision, TagViolation } from './types.js';
export { TagPolicyAction, TagPolicyViolationDetailSchema } from './violation-event.js';
export type { TagPolicyViolationDetail } from './violation-event.js';
export {
  cachePrefixOf,
  compileTagImmutability,
  describeTagImmutability,
  desiredTagMutability,
  isImmutableTag,
  makesTagsImmutable,
  sameTagMutability,
  TagImmutabilityEnforcement,
  tagImmutabilityWarnings,
} from './tag-immutability.js';
export type { EcrTagMutabilitySetting, TagImmutabilityConfig, TagImmutabilityPlan, TagMutabilityExclusionFilter } from './tag-immutability.js';
