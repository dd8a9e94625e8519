/*
 * Makes example strings that a regular expression matches, so a `{ regex }` allow-list entry gets
 * upstream tags to select. Hand-written rather than a dependency (randexp): the project needs only
 * the subset tag regexes use (literals, escapes, classes, groups, alternation, quantifiers), the
 * result must be deterministic, and callers re-check every example with the engine the workers use (core's
 * RE2-based user-regex module, through resolveTags).
 */
import { compileUserRegex } from '@dockmaster/core/shared';

/** Characters tried, in order, for `.`, classes and escapes: the ones tags may contain. */
const TAG_CHARACTERS = [...'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-'];

/** `variant` 0 takes the first branch and one repetition; 1 takes the last branch and the other repetition counts. */
function pickCharacter(classSource: string, variant: number): string {
  // The class is a piece of the user's pattern: RE2 syntax ([[:alpha:]], \pL), matched in linear time like the pattern.
  const test = compileUserRegex(classSource);
  const matching = TAG_CHARACTERS.filter((character) => test.fullMatch(character));
  return (variant === 0 ? matching[0] : matching.at(-1)) ?? '';
}

/** One example string for `pattern`, or undefined when the pattern uses syntax this generator does not know. */
function regexExample(pattern: string, variant: 0 | 1): string | undefined {
  let position = 0;

  const alternation = (): string => {
    const branches = [sequence()];
    while (pattern[position] === '|') {
      position += 1;
      branches.push(sequence());
    }
    return (variant === 0 ? branches[0] : branches.at(-1)) ?? '';
  };

  const sequence = (): string => {
    let text = '';
    while (position < pattern.length && pattern[position] !== '|' && pattern[position] !== ')') text += quantified(atom());
    return text;
  };

  const atom = (): string => {
    const character = pattern[position] ?? '';
    position += 1;
    if (character === '^' || character === '$') return '';
    if (character === '.') return pickCharacter('[A-Za-z0-9]', variant);
    if (character === '\\') {
      const escaped = pattern[position] ?? '';
      position += 1;
      return /[dDwWsS]/.test(escaped) ? pickCharacter(`\\${escaped}`, variant) : escaped;
    }
    if (character === '[') {
      const start = position - 1;
      while (position < pattern.length && pattern[position] !== ']') position += pattern[position] === '\\' ? 2 : 1;
      position += 1;
      return pickCharacter(pattern.slice(start, position), variant);
    }
    if (character === '(') {
      // Non-capturing and named groups generate like plain ones; lookarounds are not supported.
      if (pattern.startsWith('?:', position)) position += 2;
      else if (pattern.startsWith('?<', position) && !/^\?<[=!]/.test(pattern.slice(position))) position = pattern.indexOf('>', position) + 1;
      else if (pattern[position] === '?') throw new SyntaxError('lookaround');
      const inner = alternation();
      position += 1;
      return inner;
    }
    return character;
  };

  const quantified = (text: string): string => {
    const quantifier = pattern[position];
    let count = 1;
    if (quantifier === '?' || quantifier === '*') count = variant === 0 ? 1 : 0;
    else if (quantifier === '+') count = variant === 0 ? 1 : 2;
    else if (quantifier === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(position));
      if (match === null) return text;
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? min + 1 : Number(match[3]);
      count = variant === 0 ? (min === 0 && max > 0 ? 1 : min) : Math.min(max, min + 1);
      position += match[0].length - 1;
    } else return text;
    position += 1;
    if (pattern[position] === '?') position += 1;
    return text.repeat(count);
  };

  try {
    const example = alternation();
    return position >= pattern.length ? example : undefined;
  } catch {
    return undefined;
  }
}

export { regexExample };
