import { RE2JS, RE2JSSyntaxException } from 're2js';
import { InputLimit } from '../constants.js';

/*
 * Every regular expression that comes from a user (tag schemes, label validators, allow-list tag selectors) is
 * compiled here, with RE2 (re2js): matching takes time linear in the input, whatever the pattern. JavaScript's
 * backtracking RegExp takes exponential time on patterns such as ^(a+)+$, and the input (tags, label values) is
 * controlled by whoever pushes. RE2 has no backreferences and no lookaround, which is exactly what makes it linear;
 * checkUserRegex says so, with the place in the pattern, so validate can point at it.
 */

/** A compiled user pattern. `search` finds the pattern anywhere in the text; `fullMatch` needs the whole text. */
interface UserRegex {
  search(text: string): boolean;
  fullMatch(text: string): boolean;
}

/** `offset`: the character (0-based) of the pattern RE2 stopped at, when the problem has one place. */
type UserRegexCheck = { ok: true } | { ok: false; reason: string; offset?: number };

/** What to write instead, for the RE2 errors a JavaScript author runs into. */
const hint = (fragment: string, description: string): string => {
  if (/^\(\?<?[=!]/.test(fragment)) return 'lookahead and lookbehind are not supported (RE2 syntax); match the text itself, or list the alternatives with |';
  if (/^\\(?:[1-9]|k)/.test(fragment)) return 'backreferences (\\1, \\k<name>) are not supported (RE2 syntax); spell the repeated part out';
  if (fragment.startsWith('\\u')) return 'write a code point as \\x{00e9}, not \\u00e9 (RE2 syntax)';
  if (description === 'invalid repeat count') return 'a repeat count is at most 1000 and cannot be nested that deep (RE2 syntax)';
  if (description === 'invalid nested repetition operator') return 'a repetition cannot be repeated directly (a++, a*?+); group it: (?:a+)+ (RE2 syntax)';
  return `${description} (RE2 syntax)`;
};

/** Whether `pattern` is a regular expression RE2 accepts; otherwise why not and where. */
const checkUserRegex = (pattern: string, maxLength: number = InputLimit.regexLength): UserRegexCheck => {
  if (pattern.length > maxLength) {
    return { ok: false, reason: `is ${pattern.length} characters long; a regular expression may have at most ${maxLength}` };
  }
  try {
    RE2JS.compile(pattern);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof RE2JSSyntaxException)) throw error;
    const fragment = error.getPattern() ?? '';
    const found = fragment === '' ? -1 : pattern.indexOf(fragment);
    const offset = found < 0 ? 0 : found;
    const at = fragment === '' ? '' : ` at \`${fragment.length > 20 ? `${fragment.slice(0, 20)}...` : fragment}\``;
    return { ok: false, offset, reason: `is not a valid regular expression${at}: ${hint(fragment, error.getDescription())}` };
  }
};

const cache = new Map<string, UserRegex>();

/**
 * Compiles a user pattern (cached). Throws on a pattern {@link checkUserRegex} rejects: configs are validated first.
 * `maxLength` is for regexes generated from a bounded input (a glob of at most InputLimit.globLength characters).
 */
const compileUserRegex = (pattern: string, maxLength: number = InputLimit.regexLength): UserRegex => {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const check = checkUserRegex(pattern, maxLength);
  if (!check.ok) throw new Error(`regular expression ${JSON.stringify(pattern)} ${check.reason}`);
  const compiled = RE2JS.compile(pattern);
  // testExact anchors the pattern as a whole, so `a|b` means the whole text is a or b (no wrapping in ^(?:...)$
  // that a pattern such as `a)|(b` could break out of).
  const regex: UserRegex = { search: (text) => compiled.test(text), fullMatch: (text) => compiled.testExact(text) };
  cache.set(pattern, regex);
  return regex;
};

export { checkUserRegex, compileUserRegex };
export type { UserRegex, UserRegexCheck };
