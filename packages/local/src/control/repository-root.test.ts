import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepositoryRoot } from './repository-root.js';

describe('findRepositoryRoot', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'dockmaster-root-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('skips package manifests without workspaces and stops at the one that declares them', () => {
    // Prepare
    const root = path.join(scratch, 'checkout');
    mkdirSync(path.join(root, 'packages/cli/dist'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'dockmaster', workspaces: ['packages/*'] }));
    writeFileSync(path.join(root, 'packages/cli/package.json'), JSON.stringify({ name: '@dockmaster/cli' }));

    // Act
    const found = findRepositoryRoot(path.join(root, 'packages/cli/dist'));

    // Assess
    expect(found).toBe(root);
  });

  it('says where it searched when no directory above declares workspaces', () => {
    // Prepare
    const lonely = path.join(scratch, 'lonely/deep');
    mkdirSync(lonely, { recursive: true });

    // Act
    const finding = () => findRepositoryRoot(lonely);

    // Assess
    expect(finding).toThrow(`no npm workspace root (package.json with "workspaces") above ${lonely}`);
  });
});
