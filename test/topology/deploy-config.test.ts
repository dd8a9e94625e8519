import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployConfigError, loadDeployConfig } from '../../infra/load-config';

/* infra/load-config.ts: what `sst deploy` reads, validates and stores in the SSM parameter. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'dockmaster-deploy-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const writeConfig = (name: string, text: string): string => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

describe('loadDeployConfig', () => {
  it('reads the example by default and stores data the workers parse back to the same configuration', () => {
    // Act
    const deploy = loadDeployConfig(ROOT);
    const reparsed = parseConfigOrThrow(deploy.parameterValue, 'ssm:/dockmaster/test/config');

    // Assess
    expect(deploy.file).toBe('docs/examples/dockmaster.example.yaml');
    expect(deploy.parameterTier).toBe('Standard');
    expect(deploy.parameterValue).not.toContain('#');
    expect(reparsed).toEqual(deploy.config);
  });

  it('throws on an invalid file with one located line per problem, and says nothing was deployed', () => {
    // Prepare
    const file = writeConfig('invalid.yaml', 'version: 1\nregistry:\n  accountId: "1234"\n  region: eu-central-1\ntagPolicys: []\n');

    // Act
    const act = () => loadDeployConfig(ROOT, file);

    // Assess
    expect(act).toThrow(DeployConfigError);
    expect(act).toThrow(/nothing was deployed/);
    expect(act).toThrow(/invalid\.yaml:3:\d+ registry\.accountId /);
    expect(act).toThrow(/invalid\.yaml:5:\d+ /);
  });

  it('tells the user to set DOCKMASTER_CONFIG when the file does not exist', () => {
    // Act
    const act = () => loadDeployConfig(ROOT, 'no/such/dockmaster.yaml');

    // Assess
    expect(act).toThrow(/no\/such\/dockmaster\.yaml \(file not found\).*DOCKMASTER_CONFIG/);
  });

  it('switches to the Advanced tier above 4 KB and refuses more than 8 KB', () => {
    // Prepare: many teams inflate the configuration without changing its meaning.
    const teams = (count: number) =>
      Array.from({ length: count }, (_, index) => `  team-${index}:\n    email: ["oncall-${index}@acme.example"]\n`).join('');
    const base = 'version: 1\nregistry:\n  accountId: "111122223333"\n  region: eu-central-1\nteams:\n';
    const medium = writeConfig('medium.yaml', base + teams(100));
    const large = writeConfig('large.yaml', base + teams(200));

    // Act
    const deploy = loadDeployConfig(ROOT, medium);
    const act = () => loadDeployConfig(ROOT, large);

    // Assess
    expect(Buffer.byteLength(deploy.parameterValue)).toBeGreaterThan(4096);
    expect(deploy.parameterTier).toBe('Advanced');
    expect(act).toThrow(/more than the 8192 bytes/);
  });
});
