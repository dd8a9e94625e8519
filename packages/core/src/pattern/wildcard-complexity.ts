/*
 * EventBridge refuses a wildcard pattern that is "too complex" ("try using fewer wildcard characters or fewer
 * repeating character sequences after a wildcard character"): `*:*:*:*:*:event-bus/*` is refused while
 * `arn:aws:events:us-east-1:*:event-bus/*` is fine. The measure is how many matcher states one value can keep
 * alive at once. No library computes it, so it is done here: the field's wildcards become one small automaton
 * over the value's characters (framed by its JSON quotes, as EventBridge sees the value), and every set of
 * states some input can reach is explored, counting the live states plus the wildcard states they can enter.
 * EventBridge-GUESS: the shape of the measure and its limit follow AWS's open-source matcher (event-ruler).
 */
import { EventBridgeLimit } from '../limits/index.js';

type Token = string | typeof STAR;
const STAR = Symbol('star');

interface State {
  /** Next states on a literal character. */
  literal: Map<string, number[]>;
  /** Next states on any character (a wildcard state, which also loops on itself). */
  any: number[];
  /** The wildcard state entered from here, shared while the prefix is still literal. */
  star?: number;
}

/** Bound on the state sets explored; a field that needs more is too complex whatever its count. */
const MAX_EXPLORED_SETS = 20_000;

/** Ids only ever come from `states` itself; the lookup keeps noUncheckedIndexedAccess honest. */
const stateAt = (states: readonly State[], id: number): State => {
  const state = states[id];
  if (state === undefined) throw new Error(`wildcard automaton has no state ${id}`);
  return state;
};

const tokensOf = (wildcard: string): Token[] => {
  const tokens: Token[] = ['"'];
  for (let index = 0; index < wildcard.length; index += 1) {
    const char = wildcard[index] as string;
    if (char === '\\') {
      index += 1;
      tokens.push(wildcard[index] ?? '');
    } else tokens.push(char === '*' ? STAR : char);
  }
  tokens.push('"');
  return tokens;
};

const buildAutomaton = (wildcards: readonly string[]): { states: State[]; alphabet: Set<string> } => {
  const states: State[] = [{ literal: new Map(), any: [] }];
  const alphabet = new Set<string>();
  const addState = (): number => states.push({ literal: new Map(), any: [] }) - 1;
  const link = (from: number, char: string, to: number): void => {
    const targets = stateAt(states, from).literal.get(char) ?? [];
    targets.push(to);
    stateAt(states, from).literal.set(char, targets);
  };
  for (const wildcard of wildcards) {
    const tokens = tokensOf(wildcard);
    let current = 0;
    let beforeStar = -1;
    // Values share the automaton's literal prefix up to the first wildcard, as in a trie.
    let shared = true;
    tokens.forEach((token, index) => {
      if (token === STAR) {
        let star = shared ? stateAt(states, current).star : undefined;
        if (star === undefined) {
          star = addState();
          stateAt(states, current).any.push(star);
          stateAt(states, star).any.push(star);
          if (shared) stateAt(states, current).star = star;
        }
        shared = false;
        beforeStar = current;
        current = star;
        return;
      }
      alphabet.add(token);
      const existing = shared ? stateAt(states, current).literal.get(token)?.[0] : undefined;
      let next = existing;
      if (next === undefined) {
        next = addState();
        link(current, token, next);
        // A wildcard also matches nothing: the character may follow what came before the `*`.
        if (tokens[index - 1] === STAR) link(beforeStar, token, next);
      }
      beforeStar = current;
      current = next;
    });
  }
  return { states, alphabet };
};

/**
 * The most states matching one value can keep alive at once, for all the wildcards of one field
 * (`wildcard` entries and `anything-but` wildcards). 0 when there are none.
 */
const wildcardComplexity = (wildcards: readonly string[]): number => {
  if (wildcards.length === 0) return 0;
  const { states, alphabet } = buildAutomaton(wildcards);
  // One representative for every character no wildcard names: only wildcard states move on it.
  const characters: Array<string | undefined> = [...alphabet, undefined];
  const seen = new Set<string>();
  const pending: number[][] = [[0]];
  let worst = 0;
  while (pending.length > 0) {
    const active = pending.pop() as number[];
    for (const char of characters) {
      const next = new Set<number>();
      for (const id of active) {
        for (const target of stateAt(states, id).any) next.add(target);
        if (char !== undefined) for (const target of stateAt(states, id).literal.get(char) ?? []) next.add(target);
      }
      if (next.size === 0) continue;
      const enterable = new Set<number>();
      for (const id of next) for (const target of stateAt(states, id).any) if (!next.has(target)) enterable.add(target);
      worst = Math.max(worst, next.size + enterable.size);
      if (worst > EventBridgeLimit.WILDCARD_COMPLEXITY) return worst;
      const key = [...next].sort((a, b) => a - b).join(',');
      if (!seen.has(key)) {
        if (seen.size >= MAX_EXPLORED_SETS) return Number.POSITIVE_INFINITY;
        seen.add(key);
        pending.push([...next]);
      }
    }
  }
  return worst;
};

export { wildcardComplexity };
