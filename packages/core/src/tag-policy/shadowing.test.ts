import { describe, expect, it } from 'vitest';
import { DockmasterConfigSchema } from '../config/index.js';
import { findTagPolicy } from './find-policy.js';
import { globCovers, shadowedTagPolicies } from './shadowing.js';

const configWith = (policies: { name: string; repositories: string[] }[]) =>
  DockmasterConfigSchema.parse({ version: 1, registry: { accountId: '111122223333', region: 'eu-central-1' }, tagPolicies: policies });

describe('globCovers', () => {
  it.each([
    ['prod/**', 'prod/**'],
    ['**', 'dev/api'],
    ['**', 'prod/*'],
    ['prod/**', 'prod/payments/**'],
    ['prod/**', 'prod/api'],
    ['prod/**', 'prod/{a,b}'],
    ['prod/*', 'prod/api-*'],
    ['*', 'api'],
  ])('%s covers %s', (earlier, later) => {
    // Act, Assess
    expect(globCovers(earlier, later)).toBe(true);
  });

  it.each([
    ['prod/**', 'prod'],
    ['prod/**', 'production/api'],
    ['prod/*', 'prod/a/b'],
    ['prod/*', 'prod/**'],
    ['*', 'prod/api'],
    ['prod/payments/**', 'prod/**'],
    ['p*/**', 'p*/api'],
    ['{prod,dev}/**', 'prod/api'],
    ['prod/api-?', 'prod/api-1'],
  ])('%s does not (or not surely) cover %s', (earlier, later) => {
    // Act, Assess
    expect(globCovers(earlier, later)).toBe(false);
  });
});

describe('shadowedTagPolicies', () => {
  it('names a later policy whose every glob an earlier one covers, with the earlier policies; the worker indeed never picks it', () => {
    // Prepare
    const config = configWith([
      { name: 'production', repositories: ['prod/**'] },
      { name: 'apps', repositories: ['apps/*'] },
      { name: 'payments', repositories: ['prod/payments/**', 'apps/payments'] },
      { name: 'partly-new', repositories: ['prod/api', 'staging/**'] },
    ]);

    // Act
    const shadowed = shadowedTagPolicies(config);

    // Assess
    expect(shadowed).toEqual([{ index: 2, name: 'payments', shadowedBy: [{ index: 0, name: 'production' }, { index: 1, name: 'apps' }] }]);
    expect(findTagPolicy(config, 'prod/payments/api')?.name).toBe('production');
    expect(findTagPolicy(config, 'apps/payments')?.name).toBe('apps');
    expect(findTagPolicy(config, 'staging/api')?.name).toBe('partly-new');
  });

  it('finds nothing when the narrower policy comes first', () => {
    // Prepare
    const config = configWith([
      { name: 'payments', repositories: ['prod/payments/**'] },
      { name: 'production', repositories: ['prod/**'] },
    ]);

    // Act, Assess
    expect(shadowedTagPolicies(config)).toEqual([]);
  });
});
