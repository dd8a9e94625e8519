import { parsePinnedTag } from '@dockmaster/core/config';
import type { TagSelectorConfig } from '@dockmaster/core/config';
import { resolveTags } from '@dockmaster/core/prepopulate';
import { regexExample } from './regex-example.js';

/** A tag the stand-in upstream gets, and whether the allow-list entry selects it. */
interface SampleTag {
  tag: string;
  selected: boolean;
  /** The digest an exact entry was pinned to (`tag@sha256:...`); the generated image will not have it. */
  pinnedDigest?: string;
}

/** Tags upstreams commonly carry that most allow-list regexes do not select. */
const NON_MATCHING_CANDIDATES = ['latest', 'nightly-20240101', '0.0.0-dev', 'v0.0.0-dev', 'edge'];
const VALID_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

type Version = readonly [number, number, number];

/** Every version the range names (`>=0.7.0 <0.8.0` -> 0.7.0 and 0.8.0), missing parts as 0 (`^1.2` -> 1.2.0). */
function versionsNamedIn(range: string): Version[] {
  const named = [...range.matchAll(/(\d+)(?:\.(\d+))?(?:\.(\d+))?/g)].map((match): Version => [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)]);
  return named.length > 0 ? named : [[1, 0, 0]];
}

/** The version itself, the next two patches, and one just below it: enough to land on both sides of each bound. */
function versionsAround([major, minor, patch]: Version): Version[] {
  const below: Version | undefined = patch > 0 ? [major, minor, patch - 1] : minor > 0 ? [major, minor - 1, 4] : major > 0 ? [major - 1, 9, 0] : undefined;
  return [[major, minor, patch], [major, minor, patch + 1], [major, minor, patch + 2], ...(below === undefined ? [] : [below])];
}

function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Versions in and out of a SemVer range, written in the upstream's style (`v0.7.1` or `0.7.1`). Which
 * ones the range selects is decided by the same code the prepopulate job uses (core's resolveTags).
 */
function semverSamples(range: string, versionPrefix: string): SampleTag[] {
  const candidates = versionsNamedIn(range).flatMap(versionsAround).sort(compareVersions);
  const tags = [...new Set(candidates.map((version) => `${versionPrefix}${version.join('.')}`))];
  const selected = new Set(resolveTags({ semver: range }, tags).tags.map(({ tag }) => tag));
  if (selected.size === 0) {
    throw new Error(`Cannot generate upstream tags inside the SemVer range "${range}" (tried ${tags.join(', ')}); pass them as extraTags.`);
  }
  return tags.map((tag) => ({ tag, selected: selected.has(tag) }));
}

/** A couple of tags the regex selects (generated from it) and a couple it does not. */
function regexSamples(regex: string): SampleTag[] {
  const examples = [regexExample(regex, 0), regexExample(regex, 1)].filter((tag): tag is string => tag !== undefined && VALID_TAG.test(tag));
  const candidates = [...new Set([...examples, ...NON_MATCHING_CANDIDATES])];
  const selected = new Set(resolveTags({ regex }, candidates).tags.map(({ tag }) => tag));
  if (selected.size === 0) {
    throw new Error(`Cannot generate an upstream tag matching the regex "${regex}"; pass matching tags as extraTags.`);
  }
  const unselected = candidates.filter((tag) => !selected.has(tag)).slice(0, 2);
  return [...[...selected].map((tag) => ({ tag, selected: true })), ...unselected.map((tag) => ({ tag, selected: false }))];
}

/** The tags a stand-in upstream needs so an allow-list entry has something to select and something to leave out. */
function sampleTags(selector: TagSelectorConfig, versionPrefix: string): SampleTag[] {
  if (Array.isArray(selector)) {
    return selector.map((entry) => {
      const { tag, digest } = parsePinnedTag(entry);
      return digest === undefined ? { tag, selected: true } : { tag, selected: true, pinnedDigest: digest };
    });
  }
  if ('semver' in selector) return semverSamples(selector.semver, versionPrefix);
  return regexSamples(selector.regex);
}

export { sampleTags };
export type { SampleTag };
