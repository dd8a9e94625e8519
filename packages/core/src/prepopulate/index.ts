export { planWarm } from './plan-warm.js';
export type { PinMismatch, PlanWarmInput, TagToWarm, UnchangedTag, WarmPlan, WarmReason } from './plan-warm.js';
export { resolveTags } from './resolve-tags.js';
export type { ResolvedTag, ResolvedTags } from './resolve-tags.js';
export { cacheRepositoryFor, isDockerHub, upstreamImagePath, upstreamRegistryHost, upstreamRepositoryFor } from './upstream.js';
export type { UpstreamRepository } from './upstream.js';
export { listWarmTargets, warmOwner, warmTargetFor } from './warm-targets.js';
export type { TagSelector, WarmTarget } from './warm-targets.js';
