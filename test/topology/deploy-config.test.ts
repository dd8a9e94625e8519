import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { CONFIG_MAX_BYTES, parseConfigMarker, parseConfigOrThrow } from '@dockmaster/core/config';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployConfigError, loadDeployConfig } from '../../infra/load-config';

/* infra/load-config.ts: what `sst deploy` reads, validates and stores (the config item, and its marker in the SSM parameter). */

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
    const reparsed = parseConfigOrThrow(deploy.storedValue, 'dynamodb:config/config');

    // Assess
    expect(deploy.file).toBe('docs/examples/dockmaster.example.yaml');
    expect(deploy.storedValue).not.toContain('#');
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

  it('deploys a 200-image allow-list (far over the 8 KB an SSM parameter holds), with a marker that names the stored content', () => {
    // Prepare
    const images = Array.from({ length: 200 }, (_, index) => `        - image: team-${index}/service-${index}\n          tags: ["v1.${index}.0", "v1.${index}.1"]\n`).join('');
    const file = writeConfig(
      'allow-list.yaml',
      'version: 1\nregistry:\n  accountId: "111122223333"\n  region: eu-central-1\npullThroughCache:\n  - prefix: k8s\n    upstream: registry.k8s.io\n' +
        `    prepopulate:\n      images:\n${images}`,
    );

    // Act
    const deploy = loadDeployConfig(ROOT, file);
    const marker = parseConfigMarker(deploy.markerValue);

    // Assess
    expect(Buffer.byteLength(deploy.storedValue)).toBeGreaterThan(8192);
    expect(deploy.config.pullThroughCache[0]?.prepopulate?.images).toHaveLength(200);
    expect(marker).toEqual({ sha256: createHash('sha256').update(deploy.storedValue).digest('hex'), bytes: Buffer.byteLength(deploy.storedValue) });
    expect(Buffer.byteLength(deploy.markerValue)).toBeLessThan(4096);
  });

  it('refuses a file over the limit before reading it, and a configuration whose aliases expand over the limit', () => {
    // Prepare: one file too large; one small file whose aliases make a stored configuration over the limit
    const huge = writeConfig('huge.yaml', `version: 1\n# ${'x'.repeat(CONFIG_MAX_BYTES)}\n`);
    const team = `  t0:\n    email: &mail ["${'a'.repeat(60)}@acme.example", ${Array.from({ length: 60 }, (_, index) => `"m${index}${'b'.repeat(40)}@acme.example"`).join(', ')}]\n`;
    const aliases = Array.from({ length: 90 }, (_, index) => `  t${index + 1}:\n    email: *mail\n`).join('');
    const expanding = writeConfig('expanding.yaml', `version: 1\nregistry:\n  accountId: "111122223333"\n  region: eu-central-1\nteams:\n${team}${aliases}`);

    // Act
    const tooLarge = () => loadDeployConfig(ROOT, huge);
    const expands = () => loadDeployConfig(ROOT, expanding);

    // Assess
    expect(tooLarge).toThrow(new RegExp(`the file is ${CONFIG_MAX_BYTES + 14} bytes, more than the ${CONFIG_MAX_BYTES} bytes .*nothing was deployed`));
    expect(expands).toThrow(/with its aliases expanded, as the deploy stores it .* more than the 262144 bytes/);
  });
});
