import { existsSync, readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../support/paths.js';

/* What the README says about setting up, checked against what npm and the scripts actually do. */

const README = readFileSync(fromRoot('README.md'), 'utf8');
const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** The README paragraph that contains `marker`. */
const paragraphWith = (marker: string): string => README.split('\n\n').find((paragraph) => paragraph.includes(marker)) ?? '';

type LockEntry = { name?: string; engines?: { node?: string } };

describe('README set-up', () => {
  it('names every EBADENGINE warning npm ci prints on Node 20.19, and how many', () => {
    // Prepare: what npm checks: every installed package of the lock file (optional ones for other platforms are not installed).
    const lock = JSON.parse(readFileSync(fromRoot('package-lock.json'), 'utf8')) as { name: string; packages: Record<string, LockEntry> };
    const warned = Object.entries(lock.packages)
      .filter(([location, entry]) => entry.engines?.node !== undefined && !semver.satisfies('20.19.0', entry.engines.node) && (location === '' || existsSync(fromRoot(location))))
      .map(([location, entry]) => (location === '' ? lock.name : (entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length))));
    const names = [...new Set(warned)].sort();

    // Act
    const paragraph = paragraphWith('EBADENGINE').replaceAll('\n', ' ');

    // Assess
    expect(names.length).toBeGreaterThan(0);
    expect(paragraph).toContain(`prints ${NUMBER_WORDS[names.length]} \`npm warn EBADENGINE\` warnings`);
    for (const name of names) expect(paragraph, name).toContain(name === lock.name ? `${name} itself` : name);
  });

  it('says that the first infra:check installs the SST platform where infra/typecheck.sh looks for it', () => {
    // Prepare
    const script = readFileSync(fromRoot('infra/typecheck.sh'), 'utf8');
    const checked = /if \[ ! -f (\S+)\/config\.d\.ts \]/.exec(script)?.[1];

    // Act
    const paragraph = paragraphWith('npm run infra:check').replaceAll('\n', ' ');

    // Assess
    expect(checked).toBe('.sst/platform');
    expect(paragraph).toContain(`installs SST's platform sources into \`${checked}\``);
    expect(paragraph).toContain('The first run on a machine is not offline');
  });
});
