import type { DockmasterConfig } from '../config/index.js';

/*
 * Only the FIRST tag policy whose repository globs match a repository applies to it (find-policy.ts). A later
 * policy every one of whose globs an earlier policy already covers therefore never applies to anything.
 *
 * Whether one glob covers another is decided by a deliberately small, sound rule set, never by guessing: a
 * false warning would tell people to reorder a file that is right. Hand-written because no glob library answers
 * "does glob A match every name glob B matches" (picomatch and braces only match names).
 */

/** Characters that make a glob more than a literal name (see glob.ts: the allowed glob syntax). */
const WILDCARD = /[*?[\]{},]/;

/**
 * True only when every repository name `later` matches is also matched by `earlier`:
 * - the same glob;
 * - `earlier` is `P**` with `P` literal and empty or ending in '/', and `later` is `P` followed by something
 *   (a trailing `**` needs at least one more segment, which any non-empty rest supplies);
 * - `earlier` is `P*` likewise, and the rest of `later` has no '/' and no `**` (it stays within one segment, as `*` does).
 * Anything else (braces, `?`, classes, wildcards inside the prefix) counts as "not covered".
 */
const globCovers = (earlier: string, later: string): boolean => {
  if (earlier === later) return true;
  for (const wildcard of ['**', '*'] as const) {
    if (!earlier.endsWith(wildcard)) continue;
    const prefix = earlier.slice(0, -wildcard.length);
    if (WILDCARD.test(prefix) || (prefix !== '' && !prefix.endsWith('/'))) return false;
    if (!later.startsWith(prefix)) return false;
    const rest = later.slice(prefix.length);
    if (rest === '') return false;
    return wildcard === '**' || (!rest.includes('/') && !rest.includes('**'));
  }
  return false;
};

interface ShadowedTagPolicy {
  /** Index and name of the policy that never applies. */
  index: number;
  name: string;
  /** The earlier policies that take all its repositories, in file order. */
  shadowedBy: { index: number; name: string }[];
}

/** The tag policies that never apply because earlier policies already cover every repository glob of theirs. */
const shadowedTagPolicies = (config: Pick<DockmasterConfig, 'tagPolicies'>): ShadowedTagPolicy[] =>
  config.tagPolicies.flatMap((policy, index): ShadowedTagPolicy[] => {
    const earlier = config.tagPolicies.slice(0, index);
    const coveringIndexes = policy.repositories.map((glob) =>
      earlier.findIndex((candidate) => candidate.repositories.some((earlierGlob) => globCovers(earlierGlob, glob))),
    );
    if (coveringIndexes.some((covering) => covering === -1)) return [];
    const shadowedBy = [...new Set(coveringIndexes)].sort((a, b) => a - b).map((covering) => ({ index: covering, name: earlier[covering]?.name ?? '' }));
    return [{ index, name: policy.name, shadowedBy }];
  });

export { globCovers, shadowedTagPolicies };
export type { ShadowedTagPolicy };
