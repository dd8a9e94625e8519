import { InputLimit } from '../constants.js';

/*
 * Brace groups multiply: `{a,b}{c,d}` stands for 4 names, 24 such groups for 16,777,216. The number is counted
 * from the glob's structure, without expanding anything, so validate can refuse a glob and the topology can
 * decline to expand one before any memory is spent. Hand-written: the braces package expands in order to count
 * and limits only numeric ranges, not the product of groups.
 * Ranges (`{1..9}`) count as one alternative: the topology widens them to '*' instead of expanding them.
 */

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

/** The first brace group of a glob: text before it, its alternatives, text after it; undefined when there is none. */
const firstGroup = (glob: string): { head: string; alternatives: string[]; tail: string } | undefined => {
  const open = glob.indexOf('{');
  if (open < 0) return undefined;
  const close = closingBrace(glob, open);
  if (close < 0) return undefined;
  const body = glob.slice(open + 1, close);
  return { head: glob.slice(0, open), alternatives: body.includes('..') ? ['*'] : splitTopLevel(body), tail: glob.slice(close + 1) };
};

/**
 * How many globs the braces expand to, counted up to `cap` (a larger number is returned as `cap`).
 * Alternatives of a balanced group are balanced, so a group's count times the count of what follows it is exact;
 * the work is proportional to the glob's length times its nesting depth, never to the result.
 */
const countBraceExpansions = (glob: string, cap: number = InputLimit.braceExpansions + 1): number => {
  const group = firstGroup(glob);
  if (group === undefined) return 1;
  let alternatives = 0;
  for (const alternative of group.alternatives) {
    alternatives = Math.min(cap, alternatives + countBraceExpansions(alternative, cap));
  }
  // Every glob stands for at least one: once the group alone reaches the cap, what follows cannot lower it.
  if (alternatives >= cap) return cap;
  return Math.min(cap, alternatives * countBraceExpansions(group.tail, cap));
};

const expandUnchecked = (glob: string): string[] => {
  const group = firstGroup(glob);
  if (group === undefined) return [glob];
  return group.alternatives.flatMap((alternative) => expandUnchecked(`${group.head}${alternative}${group.tail}`));
};

/**
 * `a{b,c}d` -> [`abd`, `acd`]; ranges such as `{1..9}` become '*'. Undefined, without expanding anything, when
 * the glob stands for more than `limit` globs (InputLimit.braceExpansions).
 */
const expandBraces = (glob: string, limit: number = InputLimit.braceExpansions): string[] | undefined =>
  countBraceExpansions(glob, limit + 1) > limit ? undefined : expandUnchecked(glob);

export { countBraceExpansions, expandBraces };
