import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DockmasterConfigSchema } from './index.js';
import { closestMatch } from './suggest.js';

/* Callers that parse JSON (for example a configuration stored in SSM) use the zod schema directly. */

const example = (): Record<string, unknown> =>
  parse(readFileSync(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('DockmasterConfigSchema used directly', () => {
  it('runs the cross-field checks too', () => {
    // Prepare
    const data = example();
    (data.teams as Record<string, unknown>) = { payments: {} };

    // Act
    const result = DockmasterConfigSchema.safeParse(data);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['scanAlerts.routes.1.team', "team 'platform' is not defined under teams (defined: payments)"],
      ['pullThroughCache.0.prepopulate.images.2.owner', "team 'platform-dns' is not defined under teams (defined: payments)"],
    ]);
  });

  it('fills defaults the example leaves out', () => {
    // Prepare
    const data = { version: 1, registry: { accountId: '111122223333', region: 'eu-central-1' } };

    // Act
    const config = DockmasterConfigSchema.parse(data);

    // Assess
    expect(config).toEqual({ ...data, tagPolicies: [], pullThroughCache: [], repositoryTemplates: [], teams: {} });
  });
});

describe('closestMatch', () => {
  it.each([
    { written: 'forbidenTags', expected: 'forbiddenTags' },
    { written: 'accountID', expected: 'accountId' },
    { written: 'repos', expected: undefined },
    { written: 'zzz', expected: undefined },
  ])('suggests $expected for $written', ({ written, expected }) => {
    // Prepare
    const candidates = ['forbiddenTags', 'accountId', 'repositories', 'region'];

    // Act
    const match = closestMatch(written, candidates);

    // Assess
    expect(match).toBe(expected);
  });
});

describe('tag-policy vocabulary in the schema', () => {
  it('names the built-in tag schemes, label checks and modes in its messages', () => {
    // Prepare
    const data = example();
    (data.tagPolicies as Record<string, unknown>[]) = [
      { name: 'p', repositories: ['x'], mode: 'warn', allowedTagSchemes: [42], requiredLabels: { 'org.example.l': 7 } },
    ];

    // Act
    const result = DockmasterConfigSchema.safeParse(data);

    // Assess
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['tagPolicies.0.mode', 'Invalid option: expected one of "audit"|"enforce"'],
      ['tagPolicies.0.allowedTagSchemes.0', 'must be semver, git-sha, upstream-suffix or { regex: "..." }'],
      ['tagPolicies.0.requiredLabels.org.example.l', 'must be git-sha, rfc3339, present or { regex: "..." }'],
    ]);
  });
});
