import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

/* `dockmaster local image <layout-dir>`: an image to push for someone who has none (pushed for real in test/e2e/docs-local-stack.test.ts). */

let scratch: string;

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('dockmaster local image', () => {
  it('writes oci:<dir>:app with the required labels, and writes it again over its own layout', async () => {
    // Prepare
    scratch = mkdtempSync(path.join(tmpdir(), 'dockmaster-image-'));
    const layout = path.join(scratch, 'layout');

    // Act
    const first = await runCli(['local', 'image', layout]);
    const again = await runCli(['local', 'image', layout]);

    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^wrote oci:\S+layout:app \(sha256:[a-f0-9]{64}; labels org\.opencontainers\.image\.revision, org\.opencontainers\.image\.source, org\.opencontainers\.image\.created\)\n/);
    expect(first.stdout).toContain(`push it with: skopeo copy --dest-tls-verify=false oci:${layout}:app docker://`);
    expect(again).toEqual(first);
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ annotations: Record<string, string> }> };
    expect(index.manifests.map((manifest) => manifest.annotations['org.opencontainers.image.ref.name'])).toEqual(['app']);
  });

  it('refuses a directory with other content, and leaves it alone', async () => {
    // Prepare
    scratch = mkdtempSync(path.join(tmpdir(), 'dockmaster-image-'));
    writeFileSync(path.join(scratch, 'notes.txt'), 'mine');

    // Act
    const result = await runCli(['local', 'image', scratch]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${scratch} exists and is not an image layout this command wrote; give a new or empty directory`);
    expect(existsSync(path.join(scratch, 'index.json'))).toBe(false);
  });
});
