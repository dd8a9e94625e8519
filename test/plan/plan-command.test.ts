import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInlinePolicySize, INLINE_ROLE_POLICY_LIMIT } from '../../infra/policy-limits';
import { EXAMPLE_CONFIG, PLAN_TIMEOUT_MS, ROOT, runPlan } from './plan-runner';

/* `npm run infra:plan` as a command: only the plan on stdout, a clear message and a non-zero exit otherwise. */

describe('infra:plan', () => {
  it('exits non-zero with the loader problem lines and prints nothing on stdout for an invalid configuration', async () => {
    // Prepare
    mkdirSync(join(ROOT, '.tmp', 'plan'), { recursive: true });
    const file = join('.tmp', 'plan', 'invalid.yaml');
    writeFileSync(join(ROOT, file), 'version: 1\nregistry:\n  accountId: "12"\n  region: eu-central-1\n');

    // Act
    const run = await runPlan(file);

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`The Dockmaster configuration ${file} is invalid; nothing was deployed.`);
    expect(run.stderr).toMatch(/registry\.accountId/);
  }, PLAN_TIMEOUT_MS);

  it('names the file it cannot read', async () => {
    // Act
    const run = await runPlan('no/such/dockmaster.yaml');

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Cannot read the Dockmaster configuration no/such/dockmaster.yaml (file not found)');
  }, PLAN_TIMEOUT_MS);

  it('stops a configuration whose globs make a worker policy longer than IAM allows, naming the worker and the fix', async () => {
    // Prepare: 170 enforce globs instead of prod/** in the example
    const globs = Array.from({ length: 170 }, (_unused, index) => `"team-${String(index).padStart(3, '0')}/**"`).join(', ');
    const file = join('.tmp', 'plan', 'many-globs.yaml');
    writeFileSync(join(ROOT, file), readFileSync(join(ROOT, EXAMPLE_CONFIG), 'utf8').replace('repositories: ["prod/**"]', `repositories: [${globs}]`));

    // Act
    const run = await runPlan(file);

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/The tag-policy worker's IAM policy would be \d+ characters, more than the 10240 IAM allows/);
  }, PLAN_TIMEOUT_MS);
});

describe('checkInlinePolicySize', () => {
  it('counts the policy without white space, as IAM does, and accepts exactly the limit', () => {
    // Prepare: a document of exactly the limit once white space is dropped, sent pretty-printed
    const document = (length: number) => {
      const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:DescribeImages', Resource: '' }] }).length;
      return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:DescribeImages', Resource: 'x'.repeat(length - base) }] }, null, 2);
    };

    // Act
    const atLimit = () => checkInlinePolicySize('tag-policy', [{ name: 'inline', policy: document(INLINE_ROLE_POLICY_LIMIT) }]);
    const over = () => checkInlinePolicySize('tag-policy', [{ name: 'inline', policy: document(INLINE_ROLE_POLICY_LIMIT + 1) }]);

    // Assess
    expect(atLimit).not.toThrow();
    expect(over).toThrow(/would be 10241 characters/);
  });
});
