import { parsePinnedTag, type PullThroughCacheConfig } from '../config/index.js';
import { cacheRepositoryFor } from '../prepopulate/index.js';

/** ECR's limit on a lifecycle policy's text (service quota "Lifecycle policy length", not adjustable). */
const LIFECYCLE_POLICY_MAX_CHARS = 30_720;
/** ECR allows at most four `*` per tagPatternList entry. */
const MAX_PATTERN_WILDCARDS = 4;
/**
 * Count for a protecting rule. One tag names at most one image in a repository, so an exact-tag rule
 * never has more than one image and any count >= 1 is never reached; 9999 says so to a human reader.
 */
const NEVER_REACHED_COUNT = 9999;

type LifecycleSelection =
  | { tagStatus: 'untagged'; countType: 'sinceImagePushed'; countUnit: 'days'; countNumber: number }
  | { tagStatus: 'tagged'; tagPatternList: string[]; countType: 'imageCountMoreThan'; countNumber: number }
  | { tagStatus: 'tagged'; tagPatternList: string[]; countType: 'sinceImagePulled'; countUnit: 'days'; countNumber: number };

/** ECR's lifecycle actions: delete the image, or move it to the archive storage class (the only transition target). */
type LifecycleAction = { type: 'expire' } | { type: 'transition'; targetStorageClass: 'archive' };

type LifecycleRule = { rulePriority: number; description: string; selection: LifecycleSelection; action: LifecycleAction };

type LifecyclePolicy = { rules: LifecycleRule[] };

type CacheRule = Pick<PullThroughCacheConfig, 'prefix' | 'upstream' | 'repositorySettings' | 'prepopulate'>;

/**
 * The allow-listed tags of one cache repository. Exact entries can be named in a tagPatternList (pinned
 * entries by their tag); SemVer and regex selectors cannot: ECR patterns only know `*`.
 */
const allowList = (rule: CacheRule, repository: string): { tags: string[]; expressible: boolean } => {
  const tags = new Set<string>();
  let expressible = true;
  for (const entry of rule.prepopulate?.images ?? []) {
    if (cacheRepositoryFor(rule, entry.image) !== repository) continue;
    if (Array.isArray(entry.tags)) for (const tag of entry.tags) tags.add(parsePinnedTag(tag).tag);
    else expressible = false;
  }
  return { tags: [...tags], expressible };
};

const expireUntagged = (days: number): Omit<LifecycleRule, 'rulePriority'> => ({
  description: `Dockmaster: expire untagged images ${days} days after push`,
  selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: days },
  action: { type: 'expire' },
});

const protectTag = (tag: string): Omit<LifecycleRule, 'rulePriority'> => {
  // Allow-list tags are literal (the config's tag pattern has no '*'); checked so ECR never rejects the policy.
  if ((tag.match(/\*/g) ?? []).length > MAX_PATTERN_WILDCARDS) throw new Error(`tag pattern "${tag}" has too many wildcards`);
  return {
    description: `Dockmaster: never expire or archive allow-listed tag ${tag}`,
    selection: { tagStatus: 'tagged', tagPatternList: [tag], countType: 'imageCountMoreThan', countNumber: NEVER_REACHED_COUNT },
    action: { type: 'expire' },
  };
};

const keepLastTagged = (count: number): Omit<LifecycleRule, 'rulePriority'> => ({
  description: `Dockmaster: keep the ${count} most recent tagged images`,
  selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: count },
  action: { type: 'expire' },
});

/**
 * Archives tagged images nobody pulled for `days`. Tagged only: untagged images are mostly the children of a
 * multi-platform index, and archiving a child would break pulls of an index that stays active.
 */
const archiveUnpulled = (days: number): Omit<LifecycleRule, 'rulePriority'> => ({
  description: `Dockmaster: archive tagged images not pulled for ${days} days`,
  selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: days },
  action: { type: 'transition', targetStorageClass: 'archive' },
});

const toText = (rules: readonly Omit<LifecycleRule, 'rulePriority'>[]): string | undefined =>
  rules.length === 0
    ? undefined
    : JSON.stringify({ rules: rules.map((rule, index) => ({ rulePriority: index + 1, ...rule })) } satisfies LifecyclePolicy);

/**
 * The ECR lifecycle policy for one cache repository, or undefined when the rule configures no lifecycle.
 *
 * It never expires or archives an allow-listed tag. ECR: "an image that matches the tagging requirements of
 * a rule cannot be expired by a rule with a lower priority", so each allow-listed tag gets its own protecting
 * rule first (one per tag: a tagPatternList with several entries selects only images carrying ALL of them).
 * That the same holds for a lower-priority `transition` rule is read from ECR's priority rules, not stated
 * for archiving: the prepopulate worker restores an allow-listed image that is archived anyway.
 * A SemVer or regex selector cannot be written as an ECR pattern, and a guessed wildcard could miss a
 * future matching tag; so for such a repository (and if the protecting rules would exceed ECR's size
 * limit) no tagged image is expired or archived at all: the keep-last and archive rules are left out,
 * untagged expiry stays. The archive rule comes last: what the keep-last rule expires is not archived first.
 */
const renderLifecyclePolicy = (rule: CacheRule, repository: string): string | undefined => {
  const lifecycle = rule.repositorySettings?.lifecycle;
  const untagged = lifecycle?.expireUntaggedAfterDays === undefined ? [] : [expireUntagged(lifecycle.expireUntaggedAfterDays)];
  const tagged = [
    ...(lifecycle?.keepLastTaggedImages === undefined ? [] : [keepLastTagged(lifecycle.keepLastTaggedImages)]),
    ...(lifecycle?.archiveAfterDaysSinceLastPull === undefined ? [] : [archiveUnpulled(lifecycle.archiveAfterDaysSinceLastPull)]),
  ];
  if (tagged.length === 0) return toText(untagged);
  const { tags, expressible } = allowList(rule, repository);
  if (!expressible) return toText(untagged);
  const text = toText([...tags.map(protectTag), ...untagged, ...tagged]);
  return text !== undefined && text.length <= LIFECYCLE_POLICY_MAX_CHARS ? text : toText(untagged);
};

/**
 * The lifecycle policy for a repository creation template: untagged expiry only. A template is applied
 * before ECR knows which image the repository is for, so it cannot protect that image's allow-list; the
 * worker renders the full policy (renderLifecyclePolicy) once the repository exists.
 */
const renderTemplateLifecyclePolicy = (rule: Pick<PullThroughCacheConfig, 'repositorySettings'>): string | undefined => {
  const days = rule.repositorySettings?.lifecycle?.expireUntaggedAfterDays;
  return toText(days === undefined ? [] : [expireUntagged(days)]);
};

export { LIFECYCLE_POLICY_MAX_CHARS, renderLifecyclePolicy, renderTemplateLifecyclePolicy };
export type { LifecycleAction, LifecyclePolicy, LifecycleRule, LifecycleSelection };
