import type { CreationTemplateInput } from '@dockmaster/core/cache-repository';
import { describe, expect, it } from 'vitest';
import { findCreationTemplate } from './repository-creation-templates.js';

const template = (prefix: string, appliedFor: CreationTemplateInput['appliedFor']): CreationTemplateInput => ({ prefix, appliedFor, description: prefix, imageTagMutability: 'MUTABLE' });

describe('findCreationTemplate', () => {
  const ecr = {
    repositoryCreationTemplates: [
      template('apps', ['CREATE_ON_PUSH']),
      template('apps/team', ['CREATE_ON_PUSH', 'REPLICATION']),
      template('k8s', ['PULL_THROUGH_CACHE']),
      template('ROOT', ['REPLICATION']),
    ],
  };

  it.each([
    ['apps/api', 'CREATE_ON_PUSH', 'apps'],
    ['apps/team/api', 'CREATE_ON_PUSH', 'apps/team'],
    ['apps/team/api', 'REPLICATION', 'apps/team'],
    ['appsx/api', 'CREATE_ON_PUSH', undefined],
    ['apps', 'CREATE_ON_PUSH', undefined],
    ['k8s/pause', 'CREATE_ON_PUSH', undefined],
    ['other/api', 'REPLICATION', 'ROOT'],
    ['apps/api', 'REPLICATION', 'ROOT'],
  ] as const)('%s for %s: %s', (name, scenario, expected) => {
    // Act
    const found = findCreationTemplate(ecr, name, scenario);

    // Assess
    expect(found?.prefix).toBe(expected);
  });
});
