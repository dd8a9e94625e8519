import { describe, expect, it } from 'vitest';
import { DockmasterConfigSchema, loadConfig } from '../config/index.js';
import {
  compileTagImmutability,
  describeTagImmutability,
  desiredTagMutability,
  isImmutableTag,
  sameTagMutability,
  tagImmutabilityWarnings,
} from './tag-immutability.js';

const policy = (tagImmutability: unknown) =>
  DockmasterConfigSchema.parse({
    version: 1,
    registry: { accountId: '111122223333', region: 'eu-central-1' },
    tagPolicies: [{ name: 'p', repositories: ['prod/**'], tagImmutability }],
  }).tagPolicies[0]!;

describe('compileTagImmutability', () => {
  it.each([
    [{ default: 'immutable' }, { imageTagMutability: 'IMMUTABLE' }],
    [{ default: 'mutable' }, { imageTagMutability: 'MUTABLE' }],
    [
      { default: 'immutable', except: ['dev-*', 'latest'] },
      {
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [
          { filterType: 'WILDCARD', filter: 'dev-*' },
          { filterType: 'WILDCARD', filter: 'latest' },
        ],
      },
    ],
    [
      { default: 'mutable', except: ['v*.*.*', 'release-{a,b}'] },
      {
        imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [
          { filterType: 'WILDCARD', filter: 'v*.*.*' },
          { filterType: 'WILDCARD', filter: 'release-a' },
          { filterType: 'WILDCARD', filter: 'release-b' },
        ],
      },
    ],
    // Five filters is ECR's maximum: still expressible.
    [
      { default: 'immutable', except: ['a*', 'b*', 'c*', 'd*', 'e*'] },
      { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: ['a*', 'b*', 'c*', 'd*', 'e*'].map((filter) => ({ filterType: 'WILDCARD', filter })) },
    ],
  ])('%j compiles into ECR as %j', (input, expected) => {
    // Act
    const plan = compileTagImmutability(policy(input));

    // Assess
    expect(plan).toMatchObject({ enforcement: 'ecr', setting: expected });
    expect(plan.enforcement === 'ecr' ? plan.setting : undefined).toEqual(expected);
  });

  it.each([
    [{ default: 'immutable', except: ['a*', 'b*', 'c*', 'd*', 'e*', 'f*'] }, 'expands to 6 wildcard filters and ECR takes at most 5'],
    [{ default: 'immutable', except: ['{a,b,c}*', '{d,e,f}*'] }, 'expands to 6 wildcard filters and ECR takes at most 5'],
    [{ default: 'immutable', except: ['dev-?'] }, '"dev-?" uses ? or [...]'],
    [{ default: 'mutable', except: ['v[0-9]*'] }, '"v[0-9]*" uses ? or [...]'],
    [{ default: 'mutable', except: [`v${'x'.repeat(128)}`] }, 'is not an ECR filter (1-128 characters'],
  ])('%j cannot be expressed by ECR: enforced on the push event (%s)', (input, reason) => {
    // Act
    const plan = compileTagImmutability(policy(input));

    // Assess
    expect(plan.enforcement).toBe('push-event');
    expect(plan.reason).toContain(reason);
  });

  it('leaves repositories alone when the policy has no tagImmutability', () => {
    // Act
    const plan = compileTagImmutability(policy(undefined));

    // Assess
    expect(plan.enforcement).toBe('none');
  });
});

describe('isImmutableTag', () => {
  it.each([
    [{ default: 'immutable', except: ['dev-*'] }, 'v1.2.3', true],
    [{ default: 'immutable', except: ['dev-*'] }, 'dev-42', false],
    [{ default: 'mutable', except: ['v[0-9]*'] }, 'v1', true],
    [{ default: 'mutable', except: ['v[0-9]*'] }, 'vx', false],
    [{ default: 'mutable' }, 'v1', false],
  ])('%j: %s immutable = %s', (input, tag, expected) => {
    // Act
    const immutable = isImmutableTag(policy(input).tagImmutability!, tag);

    // Assess
    expect(immutable).toBe(expected);
  });
});

const config = DockmasterConfigSchema.parse({
  version: 1,
  registry: { accountId: '111122223333', region: 'eu-central-1' },
  tagPolicies: [
    { name: 'releases', repositories: ['prod/**'], tagImmutability: { default: 'immutable', except: ['dev-*'] } },
    { name: 'too-fine', repositories: ['team/**'], tagImmutability: { default: 'mutable', except: ['v?'] } },
    { name: 'cached', repositories: ['k8s/**'], tagImmutability: { default: 'immutable' } },
    { name: 'silent', repositories: ['**'] },
  ],
  pullThroughCache: [{ prefix: 'k8s', upstream: 'registry.k8s.io', repositorySettings: { tagMutability: 'IMMUTABLE' } }],
});

describe('desiredTagMutability', () => {
  it.each([
    ['prod/api', { policy: 'releases', setting: { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }] } }],
    // Not expressible: the worker checks on the push event, ECR's setting is left alone.
    ['team/api', undefined],
    // Under a cache prefix: repositorySettings.tagMutability decides, the cache-repository worker sets it.
    ['k8s/pause', undefined],
    ['other/api', undefined],
  ])('%s -> %j', (repository, expected) => {
    // Act
    const desired = desiredTagMutability(config, repository);

    // Assess
    expect(desired).toEqual(expected);
  });
});

describe('sameTagMutability', () => {
  it('ignores filter order, not filter content or value', () => {
    // Prepare
    const desired = { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'a*' }, { filterType: 'WILDCARD', filter: 'b*' }] } as const;

    // Act
    const reordered = sameTagMutability({ ...desired, imageTagMutabilityExclusionFilters: [...desired.imageTagMutabilityExclusionFilters].reverse() }, { ...desired, imageTagMutabilityExclusionFilters: [...desired.imageTagMutabilityExclusionFilters] });
    const otherFilter = sameTagMutability({ ...desired, imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'a*' }] }, { ...desired, imageTagMutabilityExclusionFilters: [...desired.imageTagMutabilityExclusionFilters] });
    const otherValue = sameTagMutability({ imageTagMutability: 'MUTABLE' }, { imageTagMutability: 'IMMUTABLE' });

    // Assess
    expect([reordered, otherFilter, otherValue]).toEqual([true, false, false]);
  });
});

describe('tagImmutabilityWarnings and describeTagImmutability', () => {
  it('warns about an immutable pull-through-cache prefix, from a policy and from repositorySettings', () => {
    // Act
    const warnings = tagImmutabilityWarnings(config);

    // Assess
    expect(warnings.map((warning) => warning.path)).toEqual([
      ['tagPolicies', 2, 'tagImmutability'],
      ['pullThroughCache', 0, 'repositorySettings', 'tagMutability'],
    ]);
    expect(warnings[0]?.message).toContain('ECR refreshes a cached tag from the upstream only while it is mutable');
    expect(warnings[1]?.message).toContain('IMMUTABLE on the pull-through cache prefix k8s/');
  });

  it('says per policy which way its immutability is enforced and why', () => {
    // Act
    const lines = describeTagImmutability(config);

    // Assess
    expect(lines).toEqual([
      'tag policy "releases": tag immutability enforced by ECR (Dockmaster sets it on the covered repositories and repairs drift): 1 wildcard exclusion filter(s) (dev-*): ECR\'s IMMUTABLE_WITH_EXCLUSION',
      'tag policy "too-fine": tag immutability enforced on the push event by the tag-policy worker (after the push): ECR cannot express it: "v?" uses ? or [...], and ECR\'s filters know only the wildcard *',
      'tag policy "cached": tag immutability enforced by ECR (Dockmaster sets it on the covered repositories and repairs drift): every tag is immutable: ECR\'s IMMUTABLE',
    ]);
  });

  it('repositorySettings: *_WITH_EXCLUSION needs ECR wildcard filters (at most 5), plain values take none; a cache prefix with one is warned about', () => {
    // Prepare
    const withSettings = (settings: string) =>
      ['version: 1', 'registry: { accountId: "111122223333", region: eu-central-1 }', 'pullThroughCache:', '  - prefix: k8s', '    upstream: registry.k8s.io', `    repositorySettings: ${settings}`].join('\n');

    // Act
    const results = [
      '{ tagMutability: MUTABLE_WITH_EXCLUSION }',
      '{ tagMutability: MUTABLE, tagMutabilityExclusionFilters: ["v*"] }',
      '{ tagMutability: MUTABLE_WITH_EXCLUSION, tagMutabilityExclusionFilters: ["v?"] }',
      '{ tagMutability: MUTABLE_WITH_EXCLUSION, tagMutabilityExclusionFilters: [a, b, c, d, e, f] }',
      '{ tagMutability: MUTABLE_WITH_EXCLUSION, tagMutabilityExclusionFilters: ["v*"] }',
    ].map((settings) => loadConfig(withSettings(settings), 'c.yaml'));

    // Assess
    expect(results.map((result) => result.ok)).toEqual([false, false, false, false, true]);
    expect(results.slice(0, 4).map((result) => (result.ok ? '' : result.issues.map((issue) => issue.message).join('; ')))).toEqual([
      'is required with tagMutability MUTABLE_WITH_EXCLUSION',
      'is only allowed with tagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not MUTABLE',
      expect.stringContaining('must be an ECR wildcard filter'),
      expect.stringContaining('ECR takes at most 5 exclusion filters'),
    ]);
    const last = results[4]!;
    expect(last.ok && last.warnings.map((warning) => warning.message)).toEqual([
      expect.stringContaining('MUTABLE_WITH_EXCLUSION on the pull-through cache prefix k8s/: ECR refreshes a cached tag from the upstream only while it is mutable, so the cached tags it makes immutable stop'),
    ]);
  });

  it('loadConfig reports the cache warning at the line of the policy', () => {
    // Prepare
    const yaml = [
      'version: 1',
      'registry: { accountId: "111122223333", region: eu-central-1 }',
      'tagPolicies:',
      '  - name: cached',
      '    repositories: ["k8s/**"]',
      '    tagImmutability: { default: immutable }',
      'pullThroughCache:',
      '  - prefix: k8s',
      '    upstream: registry.k8s.io',
    ].join('\n');

    // Act
    const result = loadConfig(yaml, 'c.yaml');

    // Assess
    expect(result.ok && result.warnings.map((warning) => warning.line)).toEqual([6]);
  });
});
