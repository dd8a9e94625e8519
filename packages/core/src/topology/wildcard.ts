import { expandBraces } from '../glob/index.js';

/*
 * Repository globs (picomatch syntax, checked by core's glob module) translated to the two wildcard
 * dialects AWS offers: IAM resource ARNs (`*` any run of characters including '/', `?` one character)
 * and EventBridge `wildcard`/`prefix` (`*` only). Neither dialect has character classes, braces or a
 * '*' that stops at '/', so the translation over-approximates: every name the glob matches is matched,
 * a few it does not match may be too. Workers re-check the exact glob; the filters only keep unrelated
 * events and permissions away. This is written by hand because no library targets these dialects.
 */

/** Innermost groups first, so nested braces widen completely. */
const widenBraces = (glob: string): string => {
  let result = glob;
  let previous = '';
  while (previous !== result) {
    previous = result;
    result = result.replace(/\{[^{}]*\}/g, '*');
  }
  return result;
};

/** Replaces `**` segments so that `*` (which crosses '/') still covers "zero or more segments". */
const replaceGlobstars = (glob: string): string => {
  let result = glob;
  let previous = '';
  // `**/**` means the same as `**`; merging first keeps the rules below to one globstar at a time.
  while (previous !== result) {
    previous = result;
    result = result.replace(/(^|\/)\*\*\/\*\*(?=\/|$)/, '$1**');
  }
  if (result === '**') return '*';
  result = result.replace(/^\*\*\//, '*').replace(/\/\*\*$/, '/*');
  previous = '';
  while (previous !== result) {
    previous = result;
    // `a/**/b` matches `a/b` too, so the slash before `**` must become optional: `a*/b`.
    result = result.replace(/\/\*\*\//, '*/');
  }
  return result.replace(/\*{2,}/g, '*');
};

/** IAM wildcard names covering everything the repository glob matches. */
const globToIamWildcards = (glob: string): string[] => {
  // Counted before expanding (InputLimit.braceExpansions); validate refuses larger globs, this never expands them.
  const alternatives = expandBraces(glob) ?? [widenBraces(glob)];
  const wildcards = alternatives.map((alternative) =>
    replaceGlobstars(alternative.replace(/\[[^\]]*\]/g, '?')).replace(/\*{2,}/g, '*'),
  );
  return [...new Set(wildcards)];
};

/** EventBridge has no single-character wildcard; `?` widens to `*`. */
const iamWildcardToEventBridgeWildcard = (wildcard: string): string => wildcard.replace(/\?/g, '*').replace(/\*{2,}/g, '*');

/** Glob-free prefix (a cache prefix) as an IAM wildcard: `k8s` covers `k8s/...`, never `k8sfoo/...`. */
const prefixToIamWildcard = (prefix: string): string => `${prefix}/*`;

export { globToIamWildcards, iamWildcardToEventBridgeWildcard, prefixToIamWildcard };
