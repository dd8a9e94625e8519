import semver from 'semver';
import { parsePinnedTag } from '../config/index.js';
import { compileUserRegex } from '../shared/index.js';
import type { TagSelector } from './warm-targets.js';

/** A tag to warm; `pinnedDigest` when the allow-list pinned it (`tag@sha256:...`). */
type ResolvedTag = { tag: string; pinnedDigest?: string };

/** The tags a selector picks from the upstream's tag list, and the exact tags the upstream lacks. */
type ResolvedTags = { tags: ResolvedTag[]; missing: string[] };

/**
 * A pinned entry is warmed by its tag, never by digest: a first pull by digest does not populate ECR's
 * cache (ecr-pitfalls 5). The digest is then what the warmed tag must resolve to.
 */
const splitPinned = (entry: string): ResolvedTag => {
  const { tag, digest } = parsePinnedTag(entry);
  return digest === undefined ? { tag } : { tag, pinnedDigest: digest };
};

const resolveExact = (entries: readonly string[], upstreamTags: ReadonlySet<string>): ResolvedTags => {
  const tags: ResolvedTag[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry)) continue;
    seen.add(entry);
    const resolved = splitPinned(entry);
    if (upstreamTags.has(resolved.tag)) tags.push(resolved);
    else missing.push(entry);
  }
  return { tags, missing };
};

/**
 * SemVer tags, with an optional leading `v` (v0.7.1) as many upstreams use. Parsed strictly (no loose
 * mode), so `0.7` or `latest` are never versions. Pre-releases only when the range names one on the
 * same major.minor.patch: node-semver's default, which is what `>=1.0.0-rc.1` means to its author.
 */
const resolveSemver = (range: string, upstreamTags: readonly string[]): ResolvedTags => {
  const matches: { tag: string; version: semver.SemVer }[] = [];
  for (const tag of new Set(upstreamTags)) {
    const version = semver.parse(tag.startsWith('v') ? tag.slice(1) : tag);
    // semver.parse also accepts a leading '=' or 'v'; only the tag's own single 'v' is allowed.
    if (!version || !/^v?\d/.test(tag)) continue;
    if (semver.satisfies(version, range)) matches.push({ tag, version });
  }
  matches.sort((a, b) => semver.compare(a.version, b.version) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { tags: matches.map(({ tag }) => ({ tag })), missing: [] };
};

/**
 * A regex selector must match the whole tag, as an allow-list entry would ("3.9" must not pick "3.9-rc").
 * RE2 (linear time): an upstream's tag list can hold thousands of tags, and the pattern is the user's.
 */
const resolveRegex = (regex: string, upstreamTags: readonly string[]): ResolvedTags => {
  const pattern = compileUserRegex(regex);
  return { tags: [...new Set(upstreamTags)].filter((tag) => pattern.fullMatch(tag)).map((tag) => ({ tag })), missing: [] };
};

/**
 * The tags to warm. An exact list reports entries the upstream lacks in `missing`; SemVer and regex
 * selectors never do (an empty `tags` is their "nothing matched").
 */
const resolveTags = (selector: TagSelector, upstreamTags: readonly string[]): ResolvedTags => {
  if (Array.isArray(selector)) return resolveExact(selector, new Set(upstreamTags));
  if ('semver' in selector) return resolveSemver(selector.semver, upstreamTags);
  return resolveRegex(selector.regex, upstreamTags);
};

export { resolveTags };
export type { ResolvedTag, ResolvedTags };
