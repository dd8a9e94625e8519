/** Rule ids a decision reports; stable, because the CLI's `check-tag --json` and the violation event carry them. */
const TagPolicyRule = {
  ForbiddenTag: 'forbidden-tag',
  TagScheme: 'tag-scheme',
  RequiredLabel: 'required-label',
  LabelValue: 'label-value',
  /** A push moved a tag the policy's tagImmutability makes immutable (checked on the push event where ECR cannot). */
  ImmutableTag: 'immutable-tag',
} as const;
type TagPolicyRule = (typeof TagPolicyRule)[keyof typeof TagPolicyRule];

/** What a tag policy does about a violation: `audit` reports it, `enforce` also removes the offending tag. */
const TagPolicyMode = {
  Audit: 'audit',
  Enforce: 'enforce',
} as const;
type TagPolicyMode = (typeof TagPolicyMode)[keyof typeof TagPolicyMode];

/** `tagImmutability.default` of a tag policy: what every tag is unless `except` names it. */
const TagImmutabilityDefault = {
  Immutable: 'immutable',
  Mutable: 'mutable',
} as const;
type TagImmutabilityDefault = (typeof TagImmutabilityDefault)[keyof typeof TagImmutabilityDefault];

/** Built-in tag schemes of `allowedTagSchemes` (besides `{ regex }`); tag-schemes.ts says what each accepts. */
const BuiltInTagScheme = {
  Semver: 'semver',
  GitSha: 'git-sha',
  UpstreamSuffix: 'upstream-suffix',
} as const;
type BuiltInTagScheme = (typeof BuiltInTagScheme)[keyof typeof BuiltInTagScheme];

/** Built-in checks of `requiredLabels` values (besides `{ regex }`); label-validators.ts says what each accepts. */
const BuiltInLabelValidator = {
  GitSha: 'git-sha',
  Rfc3339: 'rfc3339',
  Present: 'present',
} as const;
type BuiltInLabelValidator = (typeof BuiltInLabelValidator)[keyof typeof BuiltInLabelValidator];

/** One broken rule, with a message that names the tag/label and what would pass. */
type TagViolation = { rule: TagPolicyRule; message: string };

/**
 * The labels of one image: its config `Labels` merged with its manifest annotations (and the index's).
 * One entry per image; `platform` is `os/arch[/variant]` for an index child, `null` for a single image.
 */
type ImageLabels = { platform: string | null; labels: Record<string, string> }[];

/** What `check-tag --json` prints and what the worker acts on. */
type TagDecision = {
  compliant: boolean;
  /** Name of the policy that applies (the first whose repositories match), or null when none does. */
  policy: string | null;
  mode: TagPolicyMode | null;
  violations: TagViolation[];
  /**
   * False only when the policy has required labels that apply to this tag but no image labels were given
   * (for example `check-tag` without an image); those rules are then neither passed nor failed.
   */
  labelsChecked: boolean;
  /** Facts that are not violations: exemptions used or expired, rules not checked. */
  notes: string[];
};

/** The decision of a policy that applies: it names that policy and its mode. */
type PolicyDecision = TagDecision & { policy: string; mode: TagPolicyMode };

export { BuiltInLabelValidator, BuiltInTagScheme, TagImmutabilityDefault, TagPolicyMode, TagPolicyRule };
export type { ImageLabels, PolicyDecision, TagDecision, TagViolation };
