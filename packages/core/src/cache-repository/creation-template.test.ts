import { describe, expect, it } from 'vitest';
import { renderCreationTemplate } from './creation-template.js';
import { PolicyTooLargeError } from './errors.js';
import { configWithCaches, exampleK8sRule, rawExampleK8sRule } from './example-config.fixture.js';
import { renderPullStatements } from './pull-statements.js';

describe('renderCreationTemplate', () => {
  it('renders the example k8s rule as a pull-through-cache template', () => {
    // Prepare
    const rule = exampleK8sRule();

    // Act
    const template = renderCreationTemplate(rule, 'aws');

    // Assess
    expect(template).toMatchObject({ prefix: 'k8s', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'MUTABLE' });
    expect(JSON.parse(template.repositoryPolicy ?? '{}')).toEqual({ Version: '2012-10-17', Statement: renderPullStatements(rule, 'aws') });
    expect(JSON.parse(template.lifecyclePolicy ?? '{}').rules).toHaveLength(1);
    expect(template.description.length).toBeLessThanOrEqual(256);
    expect(template.description).toContain('registry.k8s.io');
  });

  it('carries a *_WITH_EXCLUSION tag mutability with its filters as WILDCARD filters', () => {
    // Prepare
    const rule = { ...exampleK8sRule(), repositorySettings: { scanOnPush: true, tagMutability: 'MUTABLE_WITH_EXCLUSION' as const, tagMutabilityExclusionFilters: ['v*', 'stable'] } };

    // Act
    const template = renderCreationTemplate(rule, 'aws');

    // Assess
    expect(template).toMatchObject({
      imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        { filterType: 'WILDCARD', filter: 'v*' },
        { filterType: 'WILDCARD', filter: 'stable' },
      ],
    });
  });

  it('sets neither resource tags nor KMS, so no customRoleArn is needed', () => {
    // Act
    const template = renderCreationTemplate(exampleK8sRule(), 'aws');

    // Assess
    expect(Object.keys(template).sort()).toEqual(['appliedFor', 'description', 'imageTagMutability', 'lifecyclePolicy', 'prefix', 'repositoryPolicy']);
  });

  it('expires only untagged images: a template cannot know which allow-list applies', () => {
    // Prepare
    const raw = rawExampleK8sRule() as { repositorySettings: Record<string, unknown> };
    raw.repositorySettings['lifecycle'] = { expireUntaggedAfterDays: 3, keepLastTaggedImages: 5 };
    raw.repositorySettings['tagMutability'] = 'IMMUTABLE';
    const rule = configWithCaches([raw]).pullThroughCache[0];

    // Act
    const template = renderCreationTemplate(rule ?? exampleK8sRule(), 'aws');

    // Assess
    const rules = (JSON.parse(template.lifecyclePolicy ?? '{}') as { rules: { selection: { tagStatus: string } }[] }).rules;
    expect(rules.map((candidate) => candidate.selection.tagStatus)).toEqual(['untagged']);
    expect(template.imageTagMutability).toBe('IMMUTABLE');
  });

  it('leaves out the policies the rule does not configure', () => {
    // Prepare
    const rule = configWithCaches([{ prefix: 'quay', upstream: 'quay.io' }]).pullThroughCache[0];

    // Act
    const template = renderCreationTemplate(rule ?? exampleK8sRule(), 'aws');

    // Assess
    expect(template).toEqual({
      prefix: 'quay',
      appliedFor: ['PULL_THROUGH_CACHE'],
      description: 'Dockmaster: pull-through cache quay/ <- quay.io',
      imageTagMutability: 'MUTABLE',
    });
  });

  it('refuses a template policy over 10,240 characters', () => {
    // Prepare
    const pullAccounts = Array.from({ length: 400 }, (_, index) => String(100_000_000_000 + index));
    const rule = { ...exampleK8sRule(), repositoryPolicy: { pullAccounts, pullOrganizations: [] } };

    // Act
    const act = () => renderCreationTemplate(rule, 'aws');

    // Assess
    expect(act).toThrow(PolicyTooLargeError);
    expect(act).toThrow('"k8s/*"');
  });
});
