/*
 * Repository globs (picomatch syntax, checked by core's glob module) translated to the two wildcard
 * dialects AWS offers: IAM resource ARNs (`*` any run of characters including '/', `?` one character)
 * and EventBridge `wildcard`/`prefix` (`*` only). Neither dialect has character classes, braces or a
 * '*' that stops at '/', so the translation over-approximates: every name the glob matches is matched,
 * a few it does not match may be too. Workers re-check the exact glob; the filters only keep unrelated
 * events and permissions away. This is written by hand because no library targets these dialects.
 */

/** More alternatives than this and braces are widened to '*' instead of being expanded. */
const MAX_BRACE_EXPANSIONS = 32;

/** Index of the '}' closing the '{' at `open`, or -1. */
const closingBrace = (text: string, open: number): number => {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === '{') depth += 1;
    if (text[index] === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
};

/** Splits on commas that are not inside nested braces. */
const splitTopLevel = (text: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
};

/** `a{b,c}d` -> [`abd`, `acd`]; ranges such as `{1..9}` become '*'. */
const expandBraces = (glob: string): string[] => {
  const open = glob.indexOf('{');
  if (open < 0) return [glob];
  const close = closingBrace(glob, open);
  if (close < 0) return [glob];
  const head = glob.slice(0, open);
  const body = glob.slice(open + 1, close);
  const tail = glob.slice(close + 1);
  const alternatives = body.includes('..') ? ['*'] : splitTopLevel(body);
  return alternatives.flatMap((alternative) => expandBraces(`${head}${alternative}${tail}`));
};

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
  const expanded = expandBraces(glob);
  const alternatives = expanded.length > MAX_BRACE_EXPANSIONS ? [widenBraces(glob)] : expanded;
  const wildcards = alternatives.map((alternative) =>
    replaceGlobstars(alternative.replace(/\[[^\]]*\]/g, '?')).replace(/\*{2,}/g, '*'),
  );
  return [...new Set(wildcards)];
};

/** EventBridge has no single-character wildcard; `?` widens to `*`. */
const iamWildcardToEventBridgeWildcard = (wildcard: string): string => wildcard.replace(/\?/g, '*').replace(/\*{2,}/g, '*');

/** Glob-free prefix (a cache prefix) as an IAM wildcard: `k8s` covers `k8s/...`, never `k8sfoo/...`. */
const prefixToIamWildcard = (prefix: string): string => `${prefix}/*`;

export { expandBraces, globToIamWildcards, iamWildcardToEventBridgeWildcard, prefixToIamWildcard };
