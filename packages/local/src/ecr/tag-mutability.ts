/** Tag mutability with exclusion filters (PutImageTagMutability). Pure. */
import { compileUserRegex } from '@dockmaster/core/shared';

const ImageTagMutability = {
  Mutable: 'MUTABLE',
  Immutable: 'IMMUTABLE',
  ImmutableWithExclusion: 'IMMUTABLE_WITH_EXCLUSION',
  MutableWithExclusion: 'MUTABLE_WITH_EXCLUSION',
} as const;
type ImageTagMutability = (typeof ImageTagMutability)[keyof typeof ImageTagMutability];

const IMAGE_TAG_MUTABILITIES = Object.values(ImageTagMutability) as [ImageTagMutability, ...ImageTagMutability[]];

interface TagMutabilityExclusionFilter {
  filterType: 'WILDCARD';
  filter: string;
}

interface TagMutabilitySettings {
  imageTagMutability: ImageTagMutability;
  imageTagMutabilityExclusionFilters?: readonly TagMutabilityExclusionFilter[] | undefined;
}

/** Filter values: model pattern `^[0-9a-zA-Z._*-]{1,128}$`, `*` = any run of characters. */
const FILTER_PATTERN = /^[0-9a-zA-Z._*-]{1,128}$/;

function wildcardMatches(filter: string, tag: string): boolean {
  // ECR-GUESS: `*` matches any run of characters, the empty one included (`latest*` matches `latest`), and matching
  // is case-sensitive; the API reference gives only the filter pattern, not the matching rules.
  // Hand-rolled rather than a glob library: the only metacharacter is `*` and it may cross everything. The filter
  // is the API caller's (up to 64 '*'): RE2 keeps `a*a*a*...` linear where a backtracking RegExp is not.
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.\\^$+?()[\]{}|-]/g, '\\$&'))
    .join('.*');
  return compileUserRegex(pattern).fullMatch(tag);
}

/** True when pushing over an existing `tag` must be refused with ImageTagAlreadyExistsException. */
function isTagImmutable(settings: TagMutabilitySettings, tag: string): boolean {
  const excluded = (settings.imageTagMutabilityExclusionFilters ?? []).some((filter) => wildcardMatches(filter.filter, tag));
  switch (settings.imageTagMutability) {
    case ImageTagMutability.Immutable:
      return true;
    case ImageTagMutability.ImmutableWithExclusion:
      return !excluded;
    case ImageTagMutability.MutableWithExclusion:
      return excluded;
    case ImageTagMutability.Mutable:
      return false;
  }
}

/** Returns why the settings are invalid, or undefined. */
function tagMutabilityProblem(settings: TagMutabilitySettings): string | undefined {
  const filters = settings.imageTagMutabilityExclusionFilters ?? [];
  const withExclusion = settings.imageTagMutability === ImageTagMutability.ImmutableWithExclusion || settings.imageTagMutability === ImageTagMutability.MutableWithExclusion;
  // Model: 1..5 filters; ECR-GUESS: filters are refused for the plain MUTABLE/IMMUTABLE settings and required for the *_WITH_EXCLUSION ones.
  if (withExclusion && (filters.length < 1 || filters.length > 5)) {
    return `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: '${settings.imageTagMutability} needs 1 to 5 exclusion filters'`;
  }
  if (!withExclusion && filters.length > 0) {
    return `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'exclusion filters are only allowed with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'`;
  }
  const bad = filters.find((filter) => !FILTER_PATTERN.test(filter.filter));
  if (bad !== undefined) {
    return `Invalid parameter at 'imageTagMutabilityExclusionFilters.filter' failed to satisfy constraint: 'must satisfy regular expression '${FILTER_PATTERN.source}''`;
  }
  return undefined;
}

export { IMAGE_TAG_MUTABILITIES, ImageTagMutability, isTagImmutable, tagMutabilityProblem };
export type { TagMutabilityExclusionFilter, TagMutabilitySettings };
