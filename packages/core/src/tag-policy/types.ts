/** Rule ids a decision reports; stable, because the CLI's `check-tag --json` and the violation event carry them. */
const TagPolicyRule = {
  ForbiddenTag: 'forbidden-tag',
  TagScheme: 'tag-scheme',
  RequiredLabel: 'required-label',
  LabelValue: 'label-value',
} as const;
type TagPolicyRule = (typeof TagPolicyRule)[keyof typeof TagPolicyRule];

type TagPolicyMode = 'audit' | 'enforce';

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

export { TagPolicyRule };
export type { ImageLabels, PolicyDecision, TagDecision, TagPolicyMode, TagViolation };
