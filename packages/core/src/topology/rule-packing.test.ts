import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../errors.js';
import { MAX_EVENT_PATTERN_LENGTH } from './limits.js';
import type { RepositoryNameMatcher } from './repository-filter.js';
import { eventPatternLength, packRepositoryRules } from './rule-packing.js';
import type { EventPattern } from './types.js';

const build = (matchers: RepositoryNameMatcher[] | undefined): EventPattern => ({
  source: ['aws.ecr'],
  detail: matchers === undefined ? {} : { 'repository-name': matchers },
});

describe('packRepositoryRules', () => {
  it('keeps a small filter in one rule', () => {
    // Act
    const rules = packRepositoryRules({ name: 'r', description: 'd', matchers: [{ prefix: 'a/' }, { prefix: 'b/' }], build });

    // Assess
    expect(rules.map((rule) => [rule.name, rule.eventPattern])).toEqual([['r', build([{ prefix: 'a/' }, { prefix: 'b/' }])]]);
  });

  it('splits a large filter into rules under the quota that together keep every matcher once', () => {
    // Prepare
    const matchers = Array.from({ length: 300 }, (_, index) => ({ prefix: `team-${index}/some-service/` }));

    // Act
    const rules = packRepositoryRules({ name: 'r', description: 'd', matchers, build });
    const packed = rules.flatMap((rule) => (rule.eventPattern.detail as { 'repository-name': unknown[] })['repository-name']);

    // Assess
    expect(rules.length).toBeGreaterThan(1);
    expect(rules.map((rule) => rule.name).slice(0, 3)).toEqual(['r', 'r-2', 'r-3']);
    for (const rule of rules) expect(eventPatternLength(rule.eventPattern)).toBeLessThanOrEqual(MAX_EVENT_PATTERN_LENGTH);
    expect(packed).toEqual(matchers);
  });

  it('builds one unfiltered rule when every repository matches', () => {
    // Act
    const rules = packRepositoryRules({ name: 'r', description: 'd', matchers: undefined, build });

    // Assess
    expect(rules.map((rule) => rule.eventPattern)).toEqual([build(undefined)]);
  });

  it('rejects a single matcher that cannot fit, naming the rule and what to change', () => {
    // Prepare
    const huge = [{ wildcard: `${'x'.repeat(MAX_EVENT_PATTERN_LENGTH)}*` }];

    // Act
    const act = () => packRepositoryRules({ name: 'tag-policy-push', description: 'd', matchers: huge, build });

    // Assess
    expect(act).toThrow(UserFacingError);
    expect(act).toThrow(/tag-policy-push.*Shorten that glob or prefix/s);
  });
});
