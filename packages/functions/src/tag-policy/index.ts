export { checkPushedTag, TAG_POLICY_IDEMPOTENCY_KEY, TagPolicyDecision } from './check-pushed-tag.js';
export type { TagPolicyDeps } from './check-pushed-tag.js';
