import * as z from 'zod';
import type { LabelValidatorConfig } from '../config/index.js';

const GIT_SHA = /^[0-9a-f]{7,40}$/;

const regexCache = new Map<string, RegExp>();

/**
 * Label `{ regex }` validators SEARCH the value (JavaScript RegExp.test; anchor with ^ and $ yourself), unlike tag
 * schemes, which must match the whole tag. Label values are free text such as URLs, and the documented contract
 * (`org.opencontainers.image.source: { regex: "^https://github\\.com/acme/" }`) is a prefix check.
 */
const searchRegex = (pattern: string): RegExp => {
  let compiled = regexCache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(pattern, 'u');
    regexCache.set(pattern, compiled);
  }
  return compiled;
};

// zod's ISO date-time with a required offset is RFC 3339's date-time (real calendar dates, fraction of any length).
const Rfc3339 = z.iso.datetime({ offset: true });

/**
 * True when a label value satisfies its validator.
 * - `present`: the label exists with a non-blank value (`LABEL x=$UNSET_ARG` yields "" and must not pass).
 * - `git-sha`: 7 to 40 lowercase hex characters (full commit ids are 40).
 * - `rfc3339`: RFC 3339 date-time with `Z` or an offset; RFC 3339 allows lower-case `t`/`z`, zod does not, so
 *   they are upper-cased first. Leap seconds (`:60`) are not accepted.
 * - `{ regex }`: the pattern is searched in the value (not a full match; see searchRegex).
 */
const matchLabelValidator = (validator: LabelValidatorConfig, value: string): boolean => {
  if (typeof validator !== 'string') return searchRegex(validator.regex).test(value);
  switch (validator) {
    case 'present':
      return value.trim().length > 0;
    case 'git-sha':
      return GIT_SHA.test(value);
    case 'rfc3339':
      return Rfc3339.safeParse(value.replace(/t/, 'T').replace(/z$/, 'Z')).success;
  }
};

export { matchLabelValidator };
