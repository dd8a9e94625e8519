import { UserFacingError } from '../errors.js';
import { MAX_EVENT_PATTERN_LENGTH } from './limits.js';
import type { RepositoryNameMatcher } from './repository-filter.js';
import type { EventPattern, EventRuleSpec } from './types.js';

/** Length EventBridge counts against the pattern-size quota: the compact JSON text. */
const eventPatternLength = (pattern: EventPattern): number => JSON.stringify(pattern).length;

interface PackedRuleRequest {
  name: string;
  description: string;
  /** `undefined` = every repository. */
  matchers: RepositoryNameMatcher[] | undefined;
  build: (matchers: RepositoryNameMatcher[] | undefined) => EventPattern;
}

/**
 * One rule when its pattern fits the 2,048-character quota, otherwise as many rules as needed, each
 * with a share of the repository matchers (many tag policies or cache prefixes must not make a deploy
 * fail on the quota). Rules after the first are named `<name>-2`, `<name>-3`, ...
 */
const packRepositoryRules = ({ name, description, matchers, build }: PackedRuleRequest): EventRuleSpec[] => {
  const rule = (index: number, pattern: EventPattern): EventRuleSpec => ({
    kind: 'event',
    name: index === 0 ? name : `${name}-${index + 1}`,
    description,
    eventPattern: pattern,
  });
  if (matchers === undefined) return [rule(0, build(undefined))];
  const chunks: RepositoryNameMatcher[][] = [];
  let current: RepositoryNameMatcher[] = [];
  for (const matcher of matchers) {
    const candidate = [...current, matcher];
    // Strictly under the quota, as the topology invariants require (a pattern of exactly 2,048 characters failed them).
    if (eventPatternLength(build(candidate)) < MAX_EVENT_PATTERN_LENGTH) {
      current = candidate;
      continue;
    }
    if (current.length === 0) {
      throw new UserFacingError(
        'PATTERN_TOO_LARGE',
        `The repository filter ${JSON.stringify(matcher)} for rule "${name}" makes its EventBridge pattern reach ` +
          `${MAX_EVENT_PATTERN_LENGTH} characters. Shorten that glob or prefix in the configuration file.`,
      );
    }
    chunks.push(current);
    current = [matcher];
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((chunk, index) => rule(index, build(chunk)));
};

export { eventPatternLength, packRepositoryRules };
