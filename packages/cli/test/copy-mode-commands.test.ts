import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromRoot, runCli, sampleEvent, scratch } from './support/cli.js';

/* explain and render-policy for a copy-mode prefix: no pull-through cache rule stands behind its repositories. */

const COPY_CONFIG = fromRoot('docs/examples/copy-mode.yaml');
const write = scratch('copy-mode-commands');

const pullThroughAction = (repository: string, prefix: string): string => {
  const event = JSON.parse(readFileSync(sampleEvent('ecr-pull-through-cache-action.normalized.json'), 'utf8')) as { detail: Record<string, unknown> };
  return write(`${prefix}-pull-through.json`, { ...event, region: 'eu-central-1', detail: { ...event.detail, 'repository-name': repository, 'ecr-repository-prefix': prefix } });
};

describe('dockmaster explain with a copy-mode prefix', () => {
  it('routes no pull-through cache action of a copy prefix to any automation', async () => {
    // Act
    const result = await runCli(['explain', '--config', COPY_CONFIG, pullThroughAction('mcr/dotnet/runtime', 'mcr')]);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ jobs: [] });
  });
});

describe('dockmaster render-policy under a copy-mode prefix', () => {
  it('renders pull statements without ecr:BatchImportUpstreamImage', async () => {
    // Act
    const result = await runCli(['render-policy', '--config', COPY_CONFIG, '--repository', 'mcr/dotnet/runtime']);

    // Assess
    expect(result.code).toBe(0);
    const { policy } = JSON.parse(result.stdout) as { policy: { Statement: { Sid: string; Action: string[] }[] } };
    expect(policy.Statement.map((statement) => [statement.Sid, statement.Action])).toEqual([
      ['DockmasterPullAccounts', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability']],
    ]);
  });
});
