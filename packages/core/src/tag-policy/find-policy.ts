import type { DockmasterConfig, TagPolicyConfig } from '../config/index.js';
import { matchesAnyGlob } from '../glob/index.js';

/** The FIRST policy whose repository globs match applies, so order in the file is precedence; null when none does. */
const findTagPolicy = (config: Pick<DockmasterConfig, 'tagPolicies'>, repository: string): TagPolicyConfig | null =>
  config.tagPolicies.find((policy) => matchesAnyGlob(policy.repositories, repository, 'repository')) ?? null;

export { findTagPolicy };
