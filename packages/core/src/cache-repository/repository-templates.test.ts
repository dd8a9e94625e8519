import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DockmasterConfigSchema, loadConfig } from '../config/index.js';
import { renderCreationTemplate, renderCreationTemplates, renderRepositoryTemplate } from './creation-template.js';
import { configWithCaches } from './example-config.fixture.js';
import { renderLifecyclePolicy } from './lifecycle-policy.js';
import { findManagedRule, managedPrefixes } from './managed-rule.js';
import { COPY_PULL_ACTIONS } from './pull-statements.js';

const EXAMPLE = readFileSync(new URL('../../../../docs/examples/repository-templates.yaml', import.meta.url), 'utf8');
const NOW = { now: new Date('2026-12-01T00:00:00Z') };

const example = () => DockmasterConfigSchema.parse(parse(EXAMPLE));
const withTemplates = (repositoryTemplates: unknown[], pullThroughCache: unknown[] = [{ prefix: 'k8s', upstream: 'registry.k8s.io' }]) =>
  DockmasterConfigSchema.safeParse({ version: 1, registry: { accountId: '111122223333', region: 'eu-central-1' }, pullThroughCache, repositoryTemplates });

describe('repositoryTemplates in the schema', () => {
  it('accepts the documented example and defaults appliedFor to CREATE_ON_PUSH', () => {
    // Act
    const loaded = loadConfig(EXAMPLE, 'repository-templates.yaml', NOW);
    const defaulted = withTemplates([{ prefix: 'apps' }]);

    // Assess
    expect(loaded.ok).toBe(true);
    expect(defaulted.success && defaulted.data.repositoryTemplates[0]?.appliedFor).toEqual(['CREATE_ON_PUSH']);
  });

  it('takes the same typed settings as a cache prefix: the same defaults and the same errors', () => {
    // Act
    const template = withTemplates([{ prefix: 'apps', repositorySettings: {} }]);
    const cache = configWithCaches([{ prefix: 'k8s', upstream: 'registry.k8s.io', repositorySettings: {} }]);
    const wrong = withTemplates([{ prefix: 'apps', repositorySettings: { tagMutability: 'SOMETIMES' } }]);

    // Assess
    expect(template.success && template.data.repositoryTemplates[0]?.repositorySettings).toEqual(cache.pullThroughCache[0]?.repositorySettings);
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.path).toEqual(['repositoryTemplates', 0, 'repositorySettings', 'tagMutability']);
  });

  it.each([[['PULL_THROUGH_CACHE']], [[]]])('refuses appliedFor %j (pull-through cache templates come from pullThroughCache)', (appliedFor) => {
    // Act
    const result = withTemplates([{ prefix: 'apps', appliedFor }]);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.slice(0, 3)).toEqual(['repositoryTemplates', 0, 'appliedFor']);
  });

  it.each([
    ['a prefix already used by a cache', [{ prefix: 'k8s' }], /duplicate prefix 'k8s' \(already used by pullThroughCache\[0\]\)/],
    ['a prefix nested in a cache prefix', [{ prefix: 'k8s/apps' }], /'k8s\/apps' and 'k8s' \(pullThroughCache\[0\]\) contain one another/],
    ['a prefix containing a cache prefix', [{ prefix: 'k8s' }, { prefix: 'team' }, { prefix: 'team/a' }], /'team\/a' and 'team' \(repositoryTemplates\[1\]\)/],
    ['two templates with one prefix', [{ prefix: 'apps' }, { prefix: 'apps' }], /duplicate prefix 'apps' \(already used by repositoryTemplates\[0\]\)/],
  ])('refuses %s', (_name, templates, message) => {
    // Act
    const result = withTemplates(templates);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join('\n')).toMatch(message);
  });

  it('lets prefixes that only share leading characters coexist (apps and apps2)', () => {
    // Act
    const result = withTemplates([{ prefix: 'apps' }, { prefix: 'apps2' }, { prefix: 'k8sx' }]);

    // Assess
    expect(result.success).toBe(true);
  });
});

describe('renderRepositoryTemplate', () => {
  it('renders policy, mutability and the full lifecycle from the typed fields', () => {
    // Prepare
    const [apps] = example().repositoryTemplates;
    if (apps === undefined) throw new Error('the example has no template');

    // Act
    const template = renderRepositoryTemplate(apps, 'aws');

    // Assess
    expect(template).toMatchObject({ prefix: 'apps', appliedFor: ['CREATE_ON_PUSH'], imageTagMutability: 'IMMUTABLE' });
    const policy = JSON.parse(template.repositoryPolicy ?? '{}') as { Statement: { Sid: string; Action: string[]; Principal: unknown }[] };
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual(['DockmasterPullAccounts', 'DockmasterPullOrganizations']);
    // Nothing under a template prefix is imported from an upstream: no ecr:BatchImportUpstreamImage.
    for (const statement of policy.Statement) expect(statement.Action).toEqual([...COPY_PULL_ACTIONS]);
    expect(policy.Statement[0]?.Principal).toEqual({ AWS: ['arn:aws:iam::444455556666:root'] });
    // No allow-list under a template prefix: the template holds what the drift repair writes, keep-last included.
    const rules = (JSON.parse(template.lifecyclePolicy ?? '{}') as { rules: { selection: { tagStatus: string; countNumber: number } }[] }).rules;
    expect(rules.map((rule) => [rule.selection.tagStatus, rule.selection.countNumber])).toEqual([
      ['untagged', 7],
      ['tagged', 50],
    ]);
    expect(template.lifecyclePolicy).toBe(renderLifecyclePolicy({ prefix: 'apps', upstream: '', repositorySettings: apps.repositorySettings }, 'apps/anything'));
    expect(template.description).toBe('Dockmaster: repositories created on push under apps/');
  });

  it('names the partition in the principals and leaves out what is not configured', () => {
    // Prepare
    const parsed = withTemplates([{ prefix: 'mirror/eu', appliedFor: ['REPLICATION', 'CREATE_ON_PUSH', 'REPLICATION'], repositoryPolicy: { pullAccounts: ['444455556666'] } }]);
    const bare = withTemplates([{ prefix: 'bare' }]);
    if (!parsed.success || !bare.success) throw new Error('the configs are valid');

    // Act
    const china = renderRepositoryTemplate(parsed.data.repositoryTemplates[0] ?? { prefix: '', appliedFor: [] }, 'aws-cn');
    const plain = renderRepositoryTemplate(bare.data.repositoryTemplates[0] ?? { prefix: '', appliedFor: [] }, 'aws');

    // Assess
    expect(china.appliedFor).toEqual(['REPLICATION', 'CREATE_ON_PUSH']);
    expect(china.description).toBe('Dockmaster: repositories created by replication or on push under mirror/eu/');
    expect(china.repositoryPolicy).toContain('arn:aws-cn:iam::444455556666:root');
    expect(plain).toEqual({ prefix: 'bare', appliedFor: ['CREATE_ON_PUSH'], description: 'Dockmaster: repositories created on push under bare/', imageTagMutability: 'MUTABLE' });
  });

  it('lists the cache templates (mode cache only) and then the repository templates', () => {
    // Prepare
    const config = DockmasterConfigSchema.parse({
      ...(parse(EXAMPLE) as object),
      pullThroughCache: [
        { prefix: 'k8s', upstream: 'registry.k8s.io' },
        { prefix: 'mcr', upstream: 'mcr.microsoft.com', mode: 'copy' },
      ],
    });

    // Act
    const templates = renderCreationTemplates(config, 'aws');

    // Assess
    expect(templates.map((template) => [template.prefix, template.appliedFor])).toEqual([
      ['k8s', ['PULL_THROUGH_CACHE']],
      ['apps', ['CREATE_ON_PUSH']],
      ['mirror/eu', ['REPLICATION']],
    ]);
    expect(templates[0]).toEqual(renderCreationTemplate(config.pullThroughCache[0] ?? { prefix: '', upstream: '' }, 'aws'));
  });
});

describe('findManagedRule', () => {
  it('finds the cache rule first, then the template, and nothing outside both', () => {
    // Prepare
    const config = example();

    // Act
    const cache = findManagedRule(config, 'k8s/pause');
    const template = findManagedRule(config, 'apps/team/api');
    const outside = findManagedRule(config, 'appsx/api');

    // Assess
    expect(cache?.upstream).toBe('registry.k8s.io');
    expect(template).toMatchObject({ prefix: 'apps', mode: 'copy', repositorySettings: { tagMutability: 'IMMUTABLE' } });
    expect(template?.upstream).toBeUndefined();
    expect(outside).toBeUndefined();
    expect(managedPrefixes(config)).toEqual(['k8s', 'apps', 'mirror/eu']);
  });
});
