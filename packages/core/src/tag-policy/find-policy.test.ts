import { describe, expect, it } from 'vitest';
import { DockmasterConfigSchema } from '../config/index.js';
import { findTagPolicy } from './find-policy.js';

const config = DockmasterConfigSchema.parse({
  version: 1,
  registry: { accountId: '111122223333', region: 'eu-central-1' },
  tagPolicies: [
    { name: 'payments', repositories: ['prod/payments/**'] },
    { name: 'production', repositories: ['prod/**'] },
    { name: 'catch-all', repositories: ['**'] },
  ],
});

describe('findTagPolicy', () => {
  it.each([
    ['prod/payments/api', 'payments'],
    ['prod/api', 'production'],
    ['prod', 'catch-all'],
    ['dev/api', 'catch-all'],
  ])('%s -> the first matching policy, %s', (repository, expected) => {
    // Act
    const policy = findTagPolicy(config, repository);

    // Assess
    expect(policy?.name).toBe(expected);
  });

  it('returns null when no policy matches', () => {
    // Prepare
    const onlyProd = { tagPolicies: config.tagPolicies.slice(0, 2) };

    // Act
    const policy = findTagPolicy(onlyProd, 'dev/api');

    // Assess
    expect(policy).toBeNull();
  });
});
