import semver from 'semver';
import type { TagSchemeConfig } from '../config/index.js';
import { InputLimit } from '../constants.js';
import { compileUserRegex } from '../shared/index.js';
import { BuiltInTagScheme } from './types.js';

/** OCI distribution-spec tag grammar, at most InputLimit.tagLength (ECR's 128); every scheme first requires a valid tag. */
const TAG_PATTERN = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,${InputLimit.tagLength - 1}}$`);

const GIT_SHA = /^[0-9a-f]{7,40}$/;

/*
 * upstream-suffix: an upstream version (dotted numbers, optional leading v: 8.0.12, v1.29, 16) then '-' and our
 * configuration revision: optional lowercase letters then a number (c15, r2, 3). Hand-written because it is our
 * own convention; upstream versions are not SemVer (2024.01.05, 1.29), so the semver package cannot parse them.
 */
const UPSTREAM_SUFFIX = /^v?\d+(?:\.\d+)*-[a-z]*\d+$/;

/**
 * True when the tag follows the scheme.
 * - `semver`: MAJOR.MINOR.PATCH per semver.org with optional pre-release and optional leading `v`
 *   (the semver package's strict parse; build metadata cannot occur since `+` is not a tag character).
 * - `git-sha`: 7 to 40 lowercase hex characters.
 * - `upstream-suffix`: upstream version, `-`, configuration revision (8.0.12-c15).
 * - `{ regex }`: full match of the tag, in linear time (RE2; see shared/user-regex.ts).
 */
const matchTagScheme = (scheme: TagSchemeConfig, tag: string): boolean => {
  if (!TAG_PATTERN.test(tag)) return false;
  if (typeof scheme !== 'string') return compileUserRegex(scheme.regex).fullMatch(tag);
  switch (scheme) {
    case BuiltInTagScheme.Semver:
      return semver.valid(tag) !== null;
    case BuiltInTagScheme.GitSha:
      return GIT_SHA.test(tag);
    case BuiltInTagScheme.UpstreamSuffix:
      return UPSTREAM_SUFFIX.test(tag);
  }
};

/** How a scheme or label validator is shown in messages: `semver`, `{ regex: "^x$" }`. */
const describeScheme = (scheme: string | { regex: string }): string =>
  typeof scheme === 'string' ? scheme : `{ regex: ${JSON.stringify(scheme.regex)} }`;

export { describeScheme, matchTagScheme, TAG_PATTERN };
