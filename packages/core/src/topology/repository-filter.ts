import type { JsonValue } from './types.js';
import { globToIamWildcards, iamWildcardToEventBridgeWildcard } from './wildcard.js';

/**
 * One EventBridge value matcher for a repository name: an exact name, `{prefix}` or `{wildcard}`.
 * `undefined` means "every repository", i.e. the pattern needs no filter on the name.
 */
type RepositoryNameMatcher = JsonValue;

/** Matchers covering every repository any of the globs matches; `undefined` when one glob matches all. */
const repositoryMatchersForGlobs = (globs: readonly string[]): RepositoryNameMatcher[] | undefined => {
  const wildcards = new Set(globs.flatMap(globToIamWildcards).map(iamWildcardToEventBridgeWildcard));
  if (wildcards.has('*')) return undefined;
  const matchers = new Map<string, RepositoryNameMatcher>();
  for (const wildcard of [...wildcards].sort()) {
    const star = wildcard.indexOf('*');
    // Prefix is cheaper for EventBridge than wildcard and expresses `prod/**` exactly.
    const matcher: RepositoryNameMatcher =
      star < 0 ? wildcard : star === wildcard.length - 1 ? { prefix: wildcard.slice(0, -1) } : { wildcard };
    matchers.set(JSON.stringify(matcher), matcher);
  }
  return [...matchers.values()];
};

/** Matchers for repositories under cache prefixes: `k8s` -> `{prefix: "k8s/"}` (never `k8sfoo/...`). */
const repositoryMatchersForPrefixes = (prefixes: readonly string[]): RepositoryNameMatcher[] =>
  [...new Set(prefixes)].sort().map((prefix) => ({ prefix: `${prefix}/` }));

export { repositoryMatchersForGlobs, repositoryMatchersForPrefixes };
export type { RepositoryNameMatcher };
