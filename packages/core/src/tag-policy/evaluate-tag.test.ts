import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DockmasterConfigSchema } from '../config/index.js';
import { InputLimit } from '../constants.js';
import { evaluateRepositoryTag, evaluateTag } from './evaluate-tag.js';
import { findTagPolicy } from './find-policy.js';
import type { ImageLabels } from './types.js';

// The documented example is the contract: production-services (prod/**, enforce) and repackaged-upstream (vendor/**, audit).
const exampleConfig = DockmasterConfigSchema.parse(
  parse(readFileSync(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url), 'utf8')),
);

const now = new Date('2026-06-01T12:00:00Z');

const goodLabels = {
  'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
  'org.opencontainers.image.source': 'https://github.com/acme/api',
  'org.opencontainers.image.created': '2026-05-31T08:00:00Z',
};

const singleImage = (labels: Record<string, string>): ImageLabels => [{ platform: null, labels }];

describe('evaluateRepositoryTag (finds the policy, then evaluateTag)', () => {
  it('is compliant with policy null when no policy matches the repository', () => {
    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'dev/api', { tag: 'latest', now });

    // Assess
    expect(decision).toMatchObject({ compliant: true, policy: null, mode: null, violations: [] });
  });

  it('reports every reason: a forbidden tag that also fails the schemes', () => {
    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: 'latest', labels: singleImage(goodLabels), now });

    // Assess
    expect(decision.compliant).toBe(false);
    expect(decision.policy).toBe('production-services');
    expect(decision.mode).toBe('enforce');
    expect(decision.violations.map((violation) => violation.rule)).toEqual(['forbidden-tag', 'tag-scheme']);
    expect(decision.violations[0]?.message).toContain('"latest"');
    expect(decision.violations[1]?.message).toContain('semver');
  });

  it.each(['1.4.2', 'v2.0.0-rc.1', 'abc1234'])('passes %s because one of semver, git-sha matches', (tag) => {
    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag, labels: singleImage(goodLabels), now });

    // Assess
    expect(decision).toEqual({ compliant: true, policy: 'production-services', mode: 'enforce', violations: [], labelsChecked: true, notes: [] });
  });

  it('reports a tag that matches no allowed scheme, naming the schemes', () => {
    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: 'feature-x', labels: singleImage(goodLabels), now });

    // Assess
    expect(decision.violations).toEqual([{ rule: 'tag-scheme', message: expect.stringContaining('semver, git-sha') }]);
  });

  it('lets any non-forbidden tag pass when allowedTagSchemes is absent', () => {
    // Prepare
    const config = DockmasterConfigSchema.parse({
      version: 1,
      registry: { accountId: '111122223333', region: 'eu-central-1' },
      tagPolicies: [{ name: 'no-latest', repositories: ['**'], forbiddenTags: ['latest'] }],
    });

    // Act
    const free = evaluateRepositoryTag(config, 'team/app', { tag: 'whatever-I-like', now });
    const forbidden = evaluateRepositoryTag(config, 'team/app', { tag: 'latest', now });

    // Assess
    expect(free.compliant).toBe(true);
    expect(forbidden.compliant).toBe(false);
  });

  it('uses upstream-suffix for vendor repositories in audit mode', () => {
    // Act
    const good = evaluateRepositoryTag(exampleConfig, 'vendor/mysql', { tag: '8.0.12-c15', now });
    const bad = evaluateRepositoryTag(exampleConfig, 'vendor/mysql', { tag: '8.0.12', now });

    // Assess
    expect(good.compliant).toBe(true);
    expect(bad).toMatchObject({ compliant: false, policy: 'repackaged-upstream', mode: 'audit' });
  });

  it('reports a missing required label and an invalid one', () => {
    // Prepare
    const labels = singleImage({ 'org.opencontainers.image.revision': 'main', 'org.opencontainers.image.created': '2026-05-31T08:00:00Z' });

    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: '1.0.0', labels, now });

    // Assess
    expect(decision.compliant).toBe(false);
    expect(decision.violations).toEqual([
      { rule: 'label-value', message: expect.stringContaining('"org.opencontainers.image.revision" = "main" is not git-sha') },
      { rule: 'required-label', message: expect.stringContaining('"org.opencontainers.image.source" is missing') },
    ]);
  });

  it('checks every platform of an index and names the one that fails', () => {
    // Prepare
    const labels: ImageLabels = [
      { platform: 'linux/amd64', labels: goodLabels },
      { platform: 'linux/arm64', labels: { ...goodLabels, 'org.opencontainers.image.source': 'https://gitlab.com/acme/api' } },
    ];

    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: '1.0.0', labels, now });

    // Assess
    expect(decision.violations).toHaveLength(1);
    expect(decision.violations[0]?.message).toMatch(/^platform linux\/arm64: label "org\.opencontainers\.image\.source"/);
  });

  it('reports label rules as not checked, not as violations, when labels are not provided', () => {
    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: '1.0.0', now });

    // Assess
    expect(decision.compliant).toBe(true);
    expect(decision.labelsChecked).toBe(false);
    expect(decision.notes).toEqual([expect.stringContaining('required labels not checked')]);
  });

  it('exempts a tag from tag AND label rules until the end of the expiry day (UTC)', () => {
    // Prepare
    const lastMoment = new Date('2027-01-31T23:59:59.999Z');

    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: 'hotfix-17', labels: singleImage({}), now: lastMoment });

    // Assess
    expect(decision).toMatchObject({ compliant: true, violations: [], labelsChecked: true });
    expect(decision.notes).toEqual([expect.stringContaining('exempt until the end of 2027-01-31')]);
  });

  it('no longer applies an exemption from the first instant after its expiry day, and says so', () => {
    // Prepare
    const nextDay = new Date('2027-02-01T00:00:00.000Z');

    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: 'hotfix-17', labels: singleImage(goodLabels), now: nextDay });

    // Assess
    expect(decision.compliant).toBe(false);
    expect(decision.violations.map((violation) => violation.rule)).toEqual(['tag-scheme']);
    expect(decision.notes).toEqual([expect.stringContaining('expired at the end of 2027-01-31')]);
  });

  it('does not apply an exemption to tags its globs do not cover', () => {
    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: 'latest', labels: singleImage(goodLabels), now });

    // Assess
    expect(decision.compliant).toBe(false);
    expect(decision.notes).toEqual([]);
  });

  it('reports a tag longer than ECR allows as a violation and checks nothing else', () => {
    // Prepare
    const tag = 'a'.repeat(InputLimit.tagLength + 1);

    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag, labels: singleImage(goodLabels), now });

    // Assess
    expect(decision).toMatchObject({ compliant: false, policy: 'production-services' });
    expect(decision.violations).toEqual([
      { rule: 'tag-scheme', message: `tag is ${InputLimit.tagLength + 1} characters long; ECR allows at most ${InputLimit.tagLength}, so no rule of policy "production-services" was checked` },
    ]);
  });

  it('reports a required label value longer than the cap as a label-value violation with its length', () => {
    // Prepare
    const source = `https://github.com/acme/${'a'.repeat(InputLimit.labelValueLength)}`;
    const labels = singleImage({ ...goodLabels, 'org.opencontainers.image.source': source });

    // Act
    const decision = evaluateRepositoryTag(exampleConfig, 'prod/api', { tag: '1.0.0', labels, now });

    // Assess
    expect(decision.violations).toEqual([
      {
        rule: 'label-value',
        message: `image: label "org.opencontainers.image.source" is ${source.length} characters long; label values are checked up to ${InputLimit.labelValueLength} characters (policy "production-services")`,
      },
    ]);
  });
});

describe('evaluateTag', () => {
  it('judges against the policy it is given, naming that policy and its mode, without looking the policy up again', () => {
    // Prepare
    const policy = findTagPolicy(exampleConfig, 'prod/api');
    if (!policy) throw new Error('the example has a policy for prod/**');
    const audited = { ...policy, name: 'handed-over', mode: 'audit' as const };

    // Act
    const decision = evaluateTag(audited, { tag: 'latest', labels: singleImage(goodLabels), now });

    // Assess
    expect(decision).toMatchObject({ compliant: false, policy: 'handed-over', mode: 'audit' });
    expect(decision.violations.map((violation) => violation.rule)).toEqual(['forbidden-tag', 'tag-scheme']);
  });
});
