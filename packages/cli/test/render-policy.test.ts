import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPolicyCommand } from '../src/commands/render-policy.js';
import { InvalidConfigError, UsageError } from '../src/errors.js';
import { captureIo } from './support/cli.js';
import { exampleConfigText } from '@dockmaster/core/testing';

const EXAMPLE = exampleConfigText();
const FOREIGN = { Sid: 'CiPush', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: ['ecr:PutImage'] };


const directory = mkdtempSync(path.join(tmpdir(), 'dockmaster-render-policy-'));
const writeFile = (name: string, content: string): string => {
  const file = path.join(directory, name);
  writeFileSync(file, content);
  return file;
};
const exampleConfig = writeFile('example.yaml', EXAMPLE);

/** The policy render-policy prints for the example's k8s rule and no current policy. */
const renderFresh = async (): Promise<Record<string, unknown>> => {
  const { io, out } = captureIo();
  await renderPolicyCommand.run(['--config', exampleConfig, '--repository', 'k8s/pause'], io);
  return (JSON.parse(out.join('\n')) as { policy: Record<string, unknown> }).policy;
};

describe('dockmaster render-policy', () => {
  it('prints the policy for a repository without one (no --existing)', async () => {
    // Prepare
    const { io, out } = captureIo();

    // Act
    const code = await renderPolicyCommand.run(['--config', exampleConfig, '--repository', 'k8s/pause'], io);

    // Assess
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('\n')) as { changed: boolean; policy: { Version: string; Statement: { Sid: string; Principal: unknown }[] } };
    expect(printed.changed).toBe(true);
    expect(printed.policy.Version).toBe('2012-10-17');
    expect(printed.policy.Statement.map((statement) => statement.Sid)).toEqual(['DockmasterPullAccounts', 'DockmasterPullOrganizations']);
    expect(printed.policy.Statement[0]?.Principal).toEqual({ AWS: ['arn:aws:iam::444455556666:root', 'arn:aws:iam::777788889999:root'] });
  });

  it('reports no change for the output of aws ecr get-repository-policy that already holds the statements, keeping the foreign one', async () => {
    // Prepare
    const current = await renderFresh();
    const statements = [FOREIGN, ...(current['Statement'] as unknown[])];
    const existing = writeFile('current.json', JSON.stringify({ registryId: '111122223333', repositoryName: 'k8s/pause', policyText: JSON.stringify({ ...current, Statement: statements }, null, 2) }));
    const { io, out } = captureIo();

    // Act
    const code = await renderPolicyCommand.run(['--config', exampleConfig, '--repository', 'k8s/pause', '--existing', existing], io);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({ changed: false, policy: { Version: '2012-10-17', Statement: statements } });
  });

  it('replaces an outdated Dockmaster statement in a plain policy document', async () => {
    // Prepare
    const stale = { Sid: 'DockmasterPullAccounts', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'ecr:BatchGetImage' };
    const existing = writeFile('stale.json', JSON.stringify({ Version: '2012-10-17', Statement: [FOREIGN, stale] }));
    const { io, out } = captureIo();

    // Act
    const code = await renderPolicyCommand.run(['--config', exampleConfig, '--repository', 'k8s/pause', '--existing', existing], io);

    // Assess
    const printed = JSON.parse(out.join('\n')) as { changed: boolean; policy: { Statement: { Sid: string }[] } };
    expect(code).toBe(0);
    expect(printed.changed).toBe(true);
    expect(printed.policy.Statement.map((statement) => statement.Sid)).toEqual(['CiPush', 'DockmasterPullAccounts', 'DockmasterPullOrganizations']);
    expect(JSON.stringify(printed.policy)).not.toContain('999999999999');
  });

  it('prints a null policy when nothing would be left (the worker deletes the policy)', async () => {
    // Prepare
    const config = writeFile('no-grants.yaml', EXAMPLE.replace(/    repositoryPolicy:.*\n.*pullAccounts.*\n.*pullOrganizations.*\n/, ''));
    const existing = writeFile('only-dockmaster.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DockmasterPullAccounts', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }] }));
    const { io, out } = captureIo();

    // Act
    const code = await renderPolicyCommand.run(['--config', config, '--repository', 'k8s/pause', '--existing', existing], io);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({ changed: true, policy: null });
  });

  it('exits 1 with a clear message for a repository under no cache prefix', async () => {
    // Prepare
    const { io, out, err } = captureIo();

    // Act
    const code = await renderPolicyCommand.run(['--config', exampleConfig, '--repository', 'k8sfoo/pause'], io);

    // Assess
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/^k8sfoo\/pause is under no pull-through cache prefix of .*example\.yaml \(k8s\/\)/);
  });

  it.each(['APPS/x', 'k8s/', 'k8s//pause', 'k'])('refuses %s as an invalid repository name (bad input), not as under no prefix', async (repository) => {
    // Prepare
    const { io } = captureIo();

    // Act
    const run = renderPolicyCommand.run(['--config', exampleConfig, '--repository', repository], io);

    // Assess
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(`invalid repository name ${JSON.stringify(repository)}: ECR names are 2-256 characters of lowercase letters and digits, separated by . _ - or /`);
  });

  it('renders the copy-mode pull statements for a repository under a repositoryTemplates prefix', async () => {
    // Prepare
    const { io, out } = captureIo();
    const templates = writeFile('templates.yaml', readFileSync(new URL('../../../docs/examples/repository-templates.yaml', import.meta.url), 'utf8'));

    // Act
    const code = await renderPolicyCommand.run(['--config', templates, '--repository', 'apps/checkout'], io);

    // Assess
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('\n')) as { policy: { Statement: { Sid: string; Action: string[] }[] } };
    expect(printed.policy.Statement.map((statement) => statement.Sid)).toEqual(['DockmasterPullAccounts', 'DockmasterPullOrganizations']);
    expect(printed.policy.Statement[0]?.Action).not.toContain('ecr:BatchImportUpstreamImage');
  });

  it('exits 1 when the merged policy would be too large for ECR', async () => {
    // Prepare
    const roles = Array.from({ length: 210 }, (_, index) => `arn:aws:iam::111122223333:role/builder-${String(index).padStart(4, '0')}`);
    const existing = writeFile('big.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Builders', Effect: 'Allow', Principal: { AWS: roles }, Action: 'ecr:BatchGetImage' }] }));
    const { io, err } = captureIo();

    // Act
    const code = await renderPolicyCommand.run(['--config', exampleConfig, '--repository', 'k8s/pause', '--existing', existing], io);

    // Assess
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('over ECR\'s 10,240-character limit');
  });

  it.each([
    ['an existing policy that is not JSON', () => ['--existing', writeFile('broken.json', '{"Version": ')], /broken\.json is not valid JSON/],
    ['an existing policy that is no policy document', () => ['--existing', writeFile('list.json', '[1, 2]')], /list\.json: .*is not a JSON object/],
    ['a missing existing file', () => ['--existing', path.join(directory, 'absent.json')], /cannot read existing repository policy .*absent\.json: no such file/],
    ['a missing --repository', () => ['--repository', ''], /--repository <name> is required/],
  ])('refuses %s as bad input (exit 2)', async (_case, extraArgs, message) => {
    // Prepare
    const args = ['--config', exampleConfig, '--repository', 'k8s/pause', ...extraArgs()];
    const { io } = captureIo();

    // Act
    const run = renderPolicyCommand.run(args, io);

    // Assess
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('refuses an invalid configuration as judged invalid (exit 1 through main), not as bad input', async () => {
    // Prepare
    const { io } = captureIo();

    // Act
    const run = renderPolicyCommand.run(['--config', writeFile('invalid.yaml', 'version: 2\n'), '--repository', 'k8s/pause'], io);

    // Assess
    await expect(run).rejects.toBeInstanceOf(InvalidConfigError);
    await expect(run).rejects.toThrow(/is not a valid configuration/);
  });
});
