import { AutomationId } from '@dockmaster/core/constants';
import { buildTopology, type Topology } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { exampleConfigWith, loadExampleConfig } from './helpers.js';

/* What a tag policy's tagImmutability adds to the tag-policy worker: its sweep, its rights, its state. */

const example = loadExampleConfig();
const [production, vendor] = example.tagPolicies;

const tagPolicyOf = (topology: Topology) => topology.automations.find((automation) => automation.id === AutomationId.TagPolicy)!;
const resourcesOf = (topology: Topology, action: string): string[] =>
  tagPolicyOf(topology)
    .permissions.filter((statement) => statement.actions.includes(action))
    .flatMap((statement) => statement.resources);

describe('tag-policy topology with tagImmutability', () => {
  it('without it: no sweep, no PutImageTagMutability, no listing, no state', () => {
    // Act
    const topology = buildTopology(example);

    // Assess
    expect(tagPolicyOf(topology).rules.filter((rule) => rule.kind === 'schedule')).toEqual([]);
    expect(resourcesOf(topology, 'ecr:PutImageTagMutability')).toEqual([]);
    expect(resourcesOf(topology, 'ecr:DescribeRepositories')).toEqual([]);
    expect(tagPolicyOf(topology).needsState).toBe(false);
  });

  it('ECR-expressible: a 12-hour sweep, PutImageTagMutability on that policy\'s repositories only, listing on repository/*', () => {
    // Prepare
    const config = exampleConfigWith({ tagPolicies: [{ ...production!, tagImmutability: { default: 'immutable', except: ['dev-*'] } }, vendor!] });

    // Act
    const topology = buildTopology(config);

    // Assess
    expect(tagPolicyOf(topology).rules.filter((rule) => rule.kind === 'schedule').map((rule) => [rule.name, rule.kind === 'schedule' ? rule.scheduleExpression : ''])).toEqual([
      ['tag-policy-reconcile', 'rate(12 hours)'],
    ]);
    expect(resourcesOf(topology, 'ecr:PutImageTagMutability')).toEqual(['arn:aws:ecr:eu-central-1:111122223333:repository/prod/*']);
    expect(resourcesOf(topology, 'ecr:DescribeRepositories')).toEqual([
      'arn:aws:ecr:eu-central-1:111122223333:repository/prod/*',
      'arn:aws:ecr:eu-central-1:111122223333:repository/*',
    ]);
    expect(tagPolicyOf(topology).needsState).toBe(false);
  });

  it('checked on the push event: the state table, and no ECR setting rights', () => {
    // Prepare
    const config = exampleConfigWith({ tagPolicies: [production!, { ...vendor!, tagImmutability: { default: 'mutable', except: ['v[0-9]*'] } }] });

    // Act
    const topology = buildTopology(config);

    // Assess
    expect(tagPolicyOf(topology).needsState).toBe(true);
    expect(tagPolicyOf(topology).rules.filter((rule) => rule.kind === 'schedule')).toEqual([]);
    expect(resourcesOf(topology, 'ecr:PutImageTagMutability')).toEqual([]);
  });
});
