import { describe, expect, it } from 'vitest';
import { exampleK8sRule } from './example-config.fixture.js';
import { renderLifecyclePolicy } from './lifecycle-policy.js';
import { renderRepositorySettings } from './repository-settings.js';
import { diffSettings } from './settings-diff.js';

describe('renderRepositorySettings', () => {
  it('renders the example: scan on push, mutable tags', () => {
    // Act
    const settings = renderRepositorySettings(exampleK8sRule());

    // Assess
    expect(settings).toEqual({ scanOnPush: true, tagMutability: 'MUTABLE' });
  });

  it('uses the configured values', () => {
    // Act
    const settings = renderRepositorySettings({ repositorySettings: { scanOnPush: false, tagMutability: 'IMMUTABLE' } });

    // Assess
    expect(settings).toEqual({ scanOnPush: false, tagMutability: 'IMMUTABLE' });
  });

  it('applies the schema defaults without a repositorySettings block', () => {
    // Act
    const settings = renderRepositorySettings({});

    // Assess
    expect(settings).toEqual({ scanOnPush: true, tagMutability: 'MUTABLE' });
  });
});

describe('diffSettings', () => {
  const lifecyclePolicy = renderLifecyclePolicy(exampleK8sRule(), 'k8s/pause');

  it('finds no drift when ECR reports the same settings and an equivalent lifecycle text', () => {
    // Prepare
    const reformatted = JSON.stringify(JSON.parse(lifecyclePolicy ?? '{}'), null, 3);

    // Act
    const diff = diffSettings(
      { scanOnPush: true, tagMutability: 'MUTABLE', lifecyclePolicy: reformatted },
      { scanOnPush: true, tagMutability: 'MUTABLE', lifecyclePolicy },
    );

    // Assess
    expect(diff).toEqual({ changed: false, changes: [], before: {}, after: {} });
  });

  it('reports each drifted setting with its before and after', () => {
    // Act
    const diff = diffSettings(
      { scanOnPush: false, tagMutability: 'IMMUTABLE_WITH_EXCLUSION', lifecyclePolicy: undefined },
      { scanOnPush: true, tagMutability: 'MUTABLE', lifecyclePolicy },
    );

    // Assess
    expect(diff.changed).toBe(true);
    expect(diff.before).toEqual({ scanOnPush: false, tagMutability: 'IMMUTABLE_WITH_EXCLUSION', lifecyclePolicy: null });
    expect(diff.after).toEqual({ scanOnPush: true, tagMutability: 'MUTABLE', lifecyclePolicy: JSON.parse(lifecyclePolicy ?? '{}') });
    expect(diff.changes.map((change) => change.setting)).toEqual(['scanOnPush', 'tagMutability', 'lifecyclePolicy']);
  });

  it('ignores the lifecycle policy when Dockmaster does not manage one, and ECR re-ordering rules', () => {
    // Prepare
    const twoRules = JSON.stringify({
      rules: [
        { rulePriority: 2, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } },
        { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
      ],
    });
    const reordered = JSON.stringify({ rules: [...(JSON.parse(twoRules) as { rules: unknown[] }).rules].reverse() });

    // Act
    const unmanaged = diffSettings({ scanOnPush: true, tagMutability: 'MUTABLE', lifecyclePolicy: twoRules }, { scanOnPush: true, tagMutability: 'MUTABLE' });
    const sameRules = diffSettings(
      { scanOnPush: true, tagMutability: 'MUTABLE', lifecyclePolicy: reordered },
      { scanOnPush: true, tagMutability: 'MUTABLE', lifecyclePolicy: twoRules },
    );

    // Assess
    expect(unmanaged.changed).toBe(false);
    expect(sameRules.changed).toBe(false);
  });
});
