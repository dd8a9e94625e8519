import { describe, expect, it } from 'vitest';
import type { PullThroughCacheConfig } from '../config/index.js';
import { configWithCaches, exampleK8sRule, rawExampleK8sRule } from './example-config.fixture.js';
import { renderLifecyclePolicy, type LifecyclePolicy, type LifecycleRule } from './lifecycle-policy.js';

/** The example's k8s rule with a lifecycle (and optionally other images), validated by the real schema. */
const k8sRuleWith = (lifecycle: Record<string, number>, images?: unknown[]): PullThroughCacheConfig => {
  const raw = rawExampleK8sRule() as { repositorySettings: Record<string, unknown>; prepopulate: Record<string, unknown> };
  raw.repositorySettings['lifecycle'] = lifecycle;
  if (images) raw.prepopulate['images'] = images;
  const rule = configWithCaches([raw]).pullThroughCache[0];
  if (!rule) throw new Error('no rule');
  return rule;
};

const rulesOf = (text: string | undefined): LifecycleRule[] => {
  expect(text).toBeDefined();
  return (JSON.parse(text ?? '{}') as LifecyclePolicy).rules;
};

/** Rules that select tagged images and expire more than a handful: the ones that could hit an allow-listed tag. */
const expiresTaggedImages = (rule: LifecycleRule): boolean =>
  rule.selection.tagStatus !== 'untagged' && !rule.description.includes('never expire');

describe('renderLifecyclePolicy', () => {
  it('renders the example: untagged images expire 14 days after push', () => {
    // Act
    const rules = rulesOf(renderLifecyclePolicy(exampleK8sRule(), 'k8s/pause'));

    // Assess
    expect(rules).toEqual([
      {
        rulePriority: 1,
        description: 'Dockmaster: expire untagged images 14 days after push',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
        action: { type: 'expire' },
      },
    ]);
  });

  it('renders nothing when the rule configures no lifecycle', () => {
    // Prepare
    const { repositorySettings: _none, ...rule } = exampleK8sRule();

    // Act
    const text = renderLifecyclePolicy(rule, 'k8s/pause');

    // Assess
    expect(text).toBeUndefined();
  });

  it('protects every allow-listed tag with its own rule before any rule that expires tagged images', () => {
    // Prepare
    const rule = k8sRuleWith({ expireUntaggedAfterDays: 14, keepLastTaggedImages: 5 });

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'k8s/pause'));

    // Assess
    const protecting = rules.filter((candidate) => candidate.description.includes('never expire'));
    expect(protecting.map((candidate) => candidate.selection.tagStatus === 'tagged' && candidate.selection.tagPatternList)).toEqual([['3.9'], ['3.10']]);
    const firstExpiring = Math.min(...rules.filter(expiresTaggedImages).map((candidate) => candidate.rulePriority));
    expect(rules.some(expiresTaggedImages)).toBe(true);
    for (const guard of protecting) expect(guard.rulePriority).toBeLessThan(firstExpiring);
    expect(new Set(rules.map((candidate) => candidate.rulePriority)).size).toBe(rules.length);
    expect(rules.at(-1)?.selection).toEqual({ tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 5 });
  });

  it('protects only the allow-list of the repository it renders for', () => {
    // Prepare
    const rule = k8sRuleWith({ keepLastTaggedImages: 5 });

    // Act
    const coredns = rulesOf(renderLifecyclePolicy(rule, 'k8s/coredns/coredns'));
    const unlisted = rulesOf(renderLifecyclePolicy(rule, 'k8s/kube-proxy'));

    // Assess
    expect(coredns.filter((candidate) => candidate.description.includes('never expire'))).toHaveLength(1);
    expect(JSON.stringify(coredns)).toContain('"tagPatternList":["v1.11.1"]');
    expect(unlisted).toHaveLength(1);
    expect(unlisted[0]?.description).toBe('Dockmaster: keep the 5 most recent tagged images');
  });

  it('expires no tagged image in a repository selected by a SemVer range (cannot be written as an ECR pattern)', () => {
    // Prepare
    const rule = k8sRuleWith({ expireUntaggedAfterDays: 7, keepLastTaggedImages: 3 });

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'k8s/metrics-server/metrics-server'));

    // Assess
    expect(rules.filter(expiresTaggedImages)).toEqual([]);
    expect(rules.map((candidate) => candidate.selection.tagStatus)).toEqual(['untagged']);
  });

  it('protects a pinned entry by its tag', () => {
    // Prepare
    const rule = k8sRuleWith({ keepLastTaggedImages: 2 }, [{ image: 'pause', tags: [`3.9@sha256:${'a'.repeat(64)}`] }]);

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'k8s/pause'));

    // Assess
    expect(rules[0]?.selection).toMatchObject({ tagStatus: 'tagged', tagPatternList: ['3.9'] });
  });

  it('protects Docker Hub official images under library/', () => {
    // Prepare
    const raw = {
      prefix: 'docker-hub',
      upstream: 'registry-1.docker.io',
      credentialArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf',
      repositorySettings: { lifecycle: { keepLastTaggedImages: 10 } },
      prepopulate: { images: [{ image: 'nginx', tags: ['1.27'] }] },
    };
    const rule = configWithCaches([raw]).pullThroughCache[0] as PullThroughCacheConfig;

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'docker-hub/library/nginx'));

    // Assess
    expect(rules[0]?.selection).toMatchObject({ tagPatternList: ['1.27'] });
    expect(rules[1]?.selection).toMatchObject({ tagPatternList: ['*'], countNumber: 10 });
  });

  it('falls back to expiring no tagged image when the protecting rules would exceed 30,720 characters', () => {
    // Prepare
    const tags = Array.from({ length: 400 }, (_, index) => `1.${index}.0`);
    const rule = k8sRuleWith({ expireUntaggedAfterDays: 14, keepLastTaggedImages: 5 }, [{ image: 'pause', tags }]);

    // Act
    const text = renderLifecyclePolicy(rule, 'k8s/pause');

    // Assess
    expect(text?.length).toBeLessThanOrEqual(30_720);
    expect(rulesOf(text).filter(expiresTaggedImages)).toEqual([]);
  });
  it('archives tagged images unpulled for N days, after the rules that protect every allow-listed tag', () => {
    // Prepare
    const rule = k8sRuleWith({ expireUntaggedAfterDays: 14, archiveAfterDaysSinceLastPull: 90 });

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'k8s/pause'));

    // Assess
    const archive = rules.filter((candidate) => candidate.action.type === 'transition');
    expect(archive).toEqual([
      {
        rulePriority: rules.length,
        description: 'Dockmaster: archive tagged images not pulled for 90 days',
        selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 },
        action: { type: 'transition', targetStorageClass: 'archive' },
      },
    ]);
    const protecting = rules.filter((candidate) => candidate.description.includes('never expire or archive'));
    expect(protecting.map((candidate) => candidate.selection.tagStatus === 'tagged' && candidate.selection.tagPatternList)).toEqual([['3.9'], ['3.10']]);
    for (const guard of protecting) expect(guard.rulePriority).toBeLessThan(archive[0]?.rulePriority ?? 0);
  });

  it('puts the archive rule after the keep-last rule, so an image it expires is not archived first', () => {
    // Prepare
    const rule = k8sRuleWith({ keepLastTaggedImages: 5, archiveAfterDaysSinceLastPull: 30 });

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'k8s/coredns/coredns'));

    // Assess
    expect(rules.map((candidate) => candidate.description)).toEqual([
      'Dockmaster: never expire or archive allow-listed tag v1.11.1',
      'Dockmaster: keep the 5 most recent tagged images',
      'Dockmaster: archive tagged images not pulled for 30 days',
    ]);
  });

  it('archives nothing tagged in a repository selected by a SemVer range (its allow-list cannot be excluded)', () => {
    // Prepare
    const rule = k8sRuleWith({ expireUntaggedAfterDays: 7, archiveAfterDaysSinceLastPull: 30 });

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'k8s/metrics-server/metrics-server'));

    // Assess
    expect(rules.filter((candidate) => candidate.action.type === 'transition')).toEqual([]);
    expect(rules.map((candidate) => candidate.selection.tagStatus)).toEqual(['untagged']);
  });

  it('archives in a repository without an allow-list, with no protecting rule', () => {
    // Prepare
    const rule = k8sRuleWith({ archiveAfterDaysSinceLastPull: 60 });

    // Act
    const rules = rulesOf(renderLifecyclePolicy(rule, 'k8s/kube-proxy'));

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ rulePriority: 1, action: { type: 'transition', targetStorageClass: 'archive' } });
  });
});
