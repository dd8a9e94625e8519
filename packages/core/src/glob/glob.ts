import picomatch from 'picomatch';
import { InputLimit } from '../constants.js';
import { compileUserRegex, errorMessage, quotedExcerpt } from '../shared/index.js';
import { countBraceExpansions } from './braces.js';

/** What a glob is matched against: repository names may contain '/', tags may not and may be upper case. */
type GlobSubject = 'repository' | 'tag';

type GlobCheck = { ok: true } | { ok: false; reason: string };

const ALLOWED_CHARACTERS: Record<GlobSubject, RegExp> = {
  repository: /^[a-z0-9._\-/*?[\]{},]+$/,
  tag: /^[A-Za-z0-9._\-*?[\]{},]+$/,
};

/**
 * Checks a glob before it is compiled. picomatch accepts almost anything, so the rules that make a glob
 * mean what its author thinks are checked here: `**` only as a whole path segment, balanced brackets,
 * no empty segments, only characters a repository name or tag can contain, and bounded size (InputLimit).
 */
const checkGlob = (glob: string, subject: GlobSubject): GlobCheck => {
  if (glob.length === 0) return { ok: false, reason: 'glob is empty' };
  if (glob.length > InputLimit.globLength) {
    return { ok: false, reason: `glob is ${glob.length} characters long; a glob may have at most ${InputLimit.globLength}` };
  }
  if (!ALLOWED_CHARACTERS[subject].test(glob)) {
    const allowed = subject === 'repository' ? 'a-z 0-9 . _ - /' : 'A-Z a-z 0-9 . _ -';
    return { ok: false, reason: `glob ${quotedExcerpt(glob)} has characters a ${subject} name cannot contain (allowed: ${allowed} and * ? [ ] { } ,)` };
  }
  if (/\*{3,}/.test(glob)) return { ok: false, reason: `glob ${quotedExcerpt(glob)} has three or more '*' in a row; use '*' or '**'` };
  if (subject === 'tag' && glob.includes('**')) {
    return { ok: false, reason: `tag glob ${quotedExcerpt(glob)} uses '**'; tags have no '/', use '*'` };
  }
  if (subject === 'repository') {
    if (glob.startsWith('/') || glob.endsWith('/')) return { ok: false, reason: `glob ${quotedExcerpt(glob)} starts or ends with '/'` };
    if (glob.includes('//')) return { ok: false, reason: `glob ${quotedExcerpt(glob)} has an empty path segment ('//')` };
    for (const segment of glob.split('/')) {
      if (segment.includes('**') && segment !== '**') {
        return { ok: false, reason: `glob ${quotedExcerpt(glob)}: '**' must be a whole path segment (for example "prod/**"); use '*' within a segment` };
      }
    }
  }
  if (!balanced(glob, '[', ']') || !balanced(glob, '{', '}')) {
    return { ok: false, reason: `glob ${quotedExcerpt(glob)} has unbalanced brackets or braces` };
  }
  // Counted, never expanded: 24 groups of {a,b} would be 16 million globs.
  if (countBraceExpansions(glob) > InputLimit.braceExpansions) {
    return {
      ok: false,
      reason: `glob ${quotedExcerpt(glob)} stands for more than ${InputLimit.braceExpansions} names through its braces; use fewer brace groups or '*'`,
    };
  }
  try {
    linearMatcher(glob);
  } catch (error) {
    return { ok: false, reason: `glob ${quotedExcerpt(glob)} cannot be matched in linear time: ${errorMessage(error)}` };
  }
  return { ok: true };
};

const balanced = (text: string, open: string, close: string): boolean => {
  let depth = 0;
  for (const char of text) {
    if (char === open) depth += 1;
    if (char === close) depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
};

const PICOMATCH_OPTIONS = { dot: true, nonegate: true, noextglob: true };

/*
 * picomatch's lookaheads with these options keep '.' and '..' segments, empty segments and a trailing '/' from
 * matching: none of them occur in an ECR repository name or tag, so they are dropped. `(?=.)` before a star at the
 * start of a segment also stops that star from matching nothing at the end of the name (`a/**` then `/*` must not match
 * `a`): a star that ends its segment therefore becomes `[^/]+?`; before anything else the next token consumes.
 */
const DOT_SEGMENT_GUARDS = ['(?!(?:^|\\/)\\.{1,2}(?:\\/|$))', '(?!\\.{0,1}(?:\\/|$))', '(?!\\.{1,2}(?:\\/|$))', '(?!\\.)'];
const ONE_CHAR_STAR = '(?=.)[^/]*?';

/**
 * The glob as a linear-time matcher. picomatch writes a backtracking RegExp, in which `*a*a*a*a*a*a*a*a*a*a*a*b`
 * took 159 s on a 40-character name; the same regex without its lookaheads, run by RE2, is linear in the name.
 */
const linearMatcher = (glob: string): ((name: string) => boolean) => {
  let source = picomatch.makeRe(glob, PICOMATCH_OPTIONS).source;
  for (const guard of DOT_SEGMENT_GUARDS) source = source.split(guard).join('');
  source = source
    .split(ONE_CHAR_STAR)
    .map((part, index) => (index === 0 ? part : `${part.startsWith('\\/') ? '[^/]+?' : '[^/]*?'}${part}`))
    .join('');
  // The source grows with the glob, which is at most InputLimit.globLength characters.
  const regex = compileUserRegex(source, Number.POSITIVE_INFINITY);
  return (name) => regex.search(name);
};

const cache = new Map<string, (name: string) => boolean>();

/**
 * Compiles a glob: `*` and `?` never cross '/', `**` as a segment crosses any number of them.
 * Throws on an invalid glob; configs are validated with {@link checkGlob} before they get here.
 */
const compileGlob = (glob: string, subject: GlobSubject = 'repository'): ((name: string) => boolean) => {
  const key = `${subject}\u0000${glob}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const check = checkGlob(glob, subject);
  if (!check.ok) throw new Error(check.reason);
  // picomatch lets a trailing '/**' match the parent itself ('prod/**' would match 'prod'); IAM's
  // 'repository/prod/*' would not, so a trailing '**' here needs at least one more segment.
  const base = linearMatcher(glob);
  const parent = subject === 'repository' && glob.endsWith('/**') ? linearMatcher(glob.slice(0, -3)) : undefined;
  const matcher = parent ? (name: string) => base(name) && !parent(name) : base;
  cache.set(key, matcher);
  return matcher;
};

/** True when any of the globs matches the name. */
const matchesAnyGlob = (globs: readonly string[], name: string, subject: GlobSubject = 'repository'): boolean =>
  globs.some((glob) => compileGlob(glob, subject)(name));

export { checkGlob, compileGlob, matchesAnyGlob };
export type { GlobCheck, GlobSubject };
