import * as z from 'zod';
import { TagPolicyMode, TagPolicyRule } from './types.js';

/** What the worker did about a violation: removed the tag (enforce), found it already gone, or nothing (audit). */
const TagPolicyAction = {
  RemovedTag: 'removed-tag',
  AlreadyRemoved: 'already-removed',
  None: 'none',
} as const;
type TagPolicyAction = (typeof TagPolicyAction)[keyof typeof TagPolicyAction];

/**
 * Detail of the `Tag Policy Violation` event on Dockmaster's bus. A schema (not just a type) so that consumers
 * (local stack, tests, notification rules) can validate what they receive.
 */
const TagPolicyViolationDetailSchema = z.object({
  repository: z.string(),
  tag: z.string(),
  digest: z.string(),
  policy: z.string(),
  mode: z.enum(Object.values(TagPolicyMode)),
  violations: z.array(z.object({ rule: z.enum(Object.values(TagPolicyRule)), message: z.string() })).min(1),
  notes: z.array(z.string()),
  action: z.enum(Object.values(TagPolicyAction)),
  /** id of the ECR event that triggered the check, to correlate with the push. */
  eventId: z.string(),
  /** The owning team (routes to its alert topic), or null when no team owns the repository. */
  team: z.string().nullable(),
});

type TagPolicyViolationDetail = z.output<typeof TagPolicyViolationDetailSchema>;

export { TagPolicyAction, TagPolicyViolationDetailSchema };
export type { TagPolicyViolationDetail };
