import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_TIMEOUT_MS, ROOT, runPlan } from './plan-runner';

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
});
