import { describe, expect, it } from 'vitest';
import { regexExample } from './regex-example.js';
import { sampleTags } from './tag-samples.js';

describe('sampleTags', () => {
  it('puts k8s-style versions on both sides of a SemVer range and marks the ones it selects', () => {
    // Act
    const samples = sampleTags({ semver: '>=0.7.0 <0.8.0' }, 'v');

    // Assess
    expect(samples.filter((sample) => sample.selected).map((sample) => sample.tag)).toEqual(['v0.7.0', 'v0.7.1', 'v0.7.2', 'v0.7.4']);
    expect(samples.filter((sample) => !sample.selected).map((sample) => sample.tag)).toEqual(['v0.6.4', 'v0.8.0', 'v0.8.1', 'v0.8.2']);
  });

  it('writes versions without a prefix when the upstream does not use one, and fills partial versions of caret ranges', () => {
    // Act
    const samples = sampleTags({ semver: '^1.2' }, '');

    // Assess
    expect(samples).toContainEqual({ tag: '1.2.0', selected: true });
    expect(samples).toContainEqual({ tag: '1.1.4', selected: false });
  });

  it('keeps exact tags as listed and reports a pin without pretending to match it', () => {
    // Prepare
    const pin = `sha256:${'a'.repeat(64)}`;

    // Act
    const samples = sampleTags(['3.9', `v1.11.1@${pin}`], '');

    // Assess
    expect(samples).toEqual([
      { tag: '3.9', selected: true },
      { tag: 'v1.11.1', selected: true, pinnedDigest: pin },
    ]);
  });

  it('generates tags a regex selects and tags it leaves out', () => {
    // Act
    const samples = sampleTags({ regex: 'v?[0-9]+\\.[0-9]+(-alpine|-slim)?' }, '');

    // Assess
    const selected = samples.filter((sample) => sample.selected).map((sample) => sample.tag);
    const unselected = samples.filter((sample) => !sample.selected).map((sample) => sample.tag);
    expect(selected.length).toBeGreaterThanOrEqual(1);
    for (const tag of selected) expect(tag).toMatch(/^v?[0-9]+\.[0-9]+(-alpine|-slim)?$/);
    expect(unselected).toEqual(['latest', 'nightly-20240101']);
  });

  it('refuses a regex it cannot satisfy instead of seeding nothing', () => {
    // Act
    const attempt = (): unknown => sampleTags({ regex: 'a^b' }, '');

    // Assess
    expect(attempt).toThrow(/extraTags/);
  });
});

describe('regexExample', () => {
  it.each([
    ['v[0-9]+\\.[0-9]+\\.[0-9]+', /^v[0-9]+\.[0-9]+\.[0-9]+$/],
    ['(stable|lts)-\\d{2,3}', /^(stable|lts)-\d{2,3}$/],
    ['[a-f0-9]{7}', /^[a-f0-9]{7}$/],
    ['release-(?:[0-9]+)(-rc\\.[0-9])?', /^release-(?:[0-9]+)(-rc\.[0-9])?$/],
  ])('makes strings %s matches, in both variants', (pattern, expected) => {
    // Act
    const examples = [regexExample(pattern, 0), regexExample(pattern, 1)];

    // Assess
    for (const example of examples) expect(example).toMatch(expected);
  });
});
