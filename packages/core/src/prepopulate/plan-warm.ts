import type { ResolvedTag } from './resolve-tags.js';
import type { WarmTarget } from './warm-targets.js';

type WarmReason = 'new' | 'moved' | 'digest-unknown';

/** A tag to pull through the cache (manifest and every blob). */
type TagToWarm = { tag: string; reason: WarmReason; digest?: string; pinnedDigest?: string };
/** A tag whose upstream digest is the one warmed last time: checking it cost one manifest request, no blobs. */
type UnchangedTag = { tag: string; digest: string };
/** A pinned tag that upstream now points elsewhere: not warmed, reported instead. */
type PinMismatch = { tag: string; pinnedDigest: string; upstreamDigest: string };

type WarmPlan = { target: WarmTarget; warm: TagToWarm[]; unchanged: UnchangedTag[]; pinMismatch: PinMismatch[] };

type PlanWarmInput = {
  target: WarmTarget;
  resolvedTags: readonly ResolvedTag[];
  /** tag -> digest this target's tag had when it was last warmed successfully. */
  lastWarmed: Readonly<Record<string, string>>;
  /** tag -> digest upstream reports now (a HEAD of the manifest); absent when it could not be read. */
  currentDigests: Readonly<Record<string, string>>;
};

/**
 * Which tags need warming: new ones (never warmed) and moved ones (upstream digest differs from the last
 * warm). A tag whose upstream digest is unknown is warmed: a wasted pull is cheaper than a cold cache.
 * A pinned tag is only warmed while upstream still points it at the pinned digest.
 */
const planWarm = ({ target, resolvedTags, lastWarmed, currentDigests }: PlanWarmInput): WarmPlan => {
  const plan: WarmPlan = { target, warm: [], unchanged: [], pinMismatch: [] };
  for (const { tag, pinnedDigest } of resolvedTags) {
    const digest = Object.hasOwn(currentDigests, tag) ? currentDigests[tag] : undefined;
    const previous = Object.hasOwn(lastWarmed, tag) ? lastWarmed[tag] : undefined;
    const pin = pinnedDigest ? { pinnedDigest } : {};
    if (digest === undefined) {
      plan.warm.push({ tag, reason: 'digest-unknown', ...pin });
    } else if (pinnedDigest && digest !== pinnedDigest) {
      plan.pinMismatch.push({ tag, pinnedDigest, upstreamDigest: digest });
    } else if (previous === digest) {
      plan.unchanged.push({ tag, digest });
    } else {
      plan.warm.push({ tag, reason: previous === undefined ? 'new' : 'moved', digest, ...pin });
    }
  }
  return plan;
};

export { planWarm };
export type { PinMismatch, PlanWarmInput, TagToWarm, UnchangedTag, WarmPlan, WarmReason };
