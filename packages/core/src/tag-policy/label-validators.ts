import * as z from 'zod';
import type { LabelValidatorConfig } from '../config/index.js';
import { InputLimit } from '../constants.js';
import { compileUserRegex } from '../shared/index.js';
import { BuiltInLabelValidator } from './types.js';

const GIT_SHA = /^[0-9a-f]{7,40}$/;

// zod's ISO date-time with a required offset is RFC 3339's date-time (real calendar dates, fraction of any length).
const Rfc3339 = z.iso.datetime({ offset: true });

/**
 * True when a label value satisfies its validator.
 * - `present`: the label exists with a non-blank value (`LABEL x=$UNSET_ARG` yields "" and must not pass).
 * - `git-sha`: 7 to 40 lowercase hex characters (full commit ids are 40).
 * - `rfc3339`: RFC 3339 date-time with `Z` or an offset; RFC 3339 allows lower-case `t`/`z`, zod does not, so
 *   they are upper-cased first. Leap seconds (`:60`) are not accepted.
 * - `{ regex }`: the pattern is SEARCHED in the value (RE2, linear time; anchor with ^ and $ yourself), unlike tag
 *   schemes, which must match the whole tag. Label values are free text such as URLs, and the documented contract
 *   (`org.opencontainers.image.source: { regex: "^https://github\\.com/acme/" }`) is a prefix check.
 * Every validator needs the value to be at most InputLimit.labelValueLength characters
 * (see labelValueTooLong): the value is the pusher's, the work to check it must stay bounded.
 */
const matchLabelValidator = (validator: LabelValidatorConfig, value: string): boolean => {
  if (labelValueTooLong(value)) return false;
  if (typeof validator !== 'string') return compileUserRegex(validator.regex).search(value);
  switch (validator) {
    case BuiltInLabelValidator.Present:
      return value.trim().length > 0;
    case BuiltInLabelValidator.GitSha:
      return GIT_SHA.test(value);
    case BuiltInLabelValidator.Rfc3339:
      return Rfc3339.safeParse(value.replace(/t/, 'T').replace(/z$/, 'Z')).success;
  }
};

/** True when a label value is longer than any check reads (InputLimit.labelValueLength). */
const labelValueTooLong = (value: string): boolean => value.length > InputLimit.labelValueLength;

export { labelValueTooLong, matchLabelValidator };
