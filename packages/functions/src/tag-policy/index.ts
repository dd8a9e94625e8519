export { checkPushedTag, TAG_POLICY_IDEMPOTENCY_KEY, TagPolicyDecision } from './check-pushed-tag.js';
export type { TagPolicyDeps } from './check-pushed-tag.js';
export { keepTagMutability, reconcileTagMutability } from './keep-tag-mutability.js';
export { TagPolicyMessageSchema } from './messages.js';
export type { TagPolicyMessage } from './messages.js';
export { processTagPolicyMessage } from './process-message.js';
export type { TagPolicyWorkerDeps } from './process-message.js';
