/*
 * IAM refuses a role whose inline policies exceed 10,240 characters in total (IAM user guide, "IAM and AWS STS
 * quotas": role policy size, white space not counted). A configuration with many repository globs grows the
 * tag-policy role's policy past it, and the deploy would fail half-way at the role. Checked on the policy
 * documents SST builds, before the role is created, with a message that says what to change.
 */

const INLINE_ROLE_POLICY_LIMIT = 10_240;

interface InlinePolicy {
  name?: string;
  policy?: string;
}

/** The characters IAM counts: the document without white space outside strings (JSON.stringify of the parsed document). */
const countedLength = (policy: string): number => JSON.stringify(JSON.parse(policy)).length;

/** Returns the policies unchanged, or throws when together they exceed IAM's limit for one role. */
const checkInlinePolicySize = <T extends InlinePolicy>(automation: string, policies: readonly T[]): T[] => {
  const total = policies.reduce((sum, { policy }) => sum + (policy === undefined ? 0 : countedLength(policy)), 0);
  if (total > INLINE_ROLE_POLICY_LIMIT) {
    throw new Error(
      `The ${automation} worker's IAM policy would be ${total} characters, more than the ${INLINE_ROLE_POLICY_LIMIT} IAM allows for a role's inline policies. ` +
        'Each repository glob of the configuration becomes one resource ARN: use fewer, broader globs (prod/** instead of one per team), then deploy again.',
    );
  }
  return [...policies];
};

export { checkInlinePolicySize, INLINE_ROLE_POLICY_LIMIT };
