import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTOMATION_IDS } from '@dockmaster/core/constants';
import { workerHandler } from '@dockmaster/core/topology';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkerBundles, workerBundleFile } from '../src/bundle/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let bundlesDir = '';
const infoFile = () => path.join(bundlesDir, 'build-info.json');
const editInfo = async (edit: (info: Record<string, unknown>) => void): Promise<void> => {
  const info = JSON.parse(await readFile(infoFile(), 'utf8')) as Record<string, unknown>;
  edit(info);
  await writeFile(infoFile(), JSON.stringify(info));
};

beforeAll(async () => {
  bundlesDir = path.join(await mkdtemp(path.join(tmpdir(), 'dockmaster-worker-bundles-')), 'bundles');
});
afterAll(async () => {
  await rm(path.dirname(bundlesDir), { recursive: true, force: true });
});

describe('buildWorkerBundles', () => {
  it('builds every worker once, records its sources, and reuses current bundles', async () => {
    // Act
    const first = await buildWorkerBundles(bundlesDir, root);
    const second = await buildWorkerBundles(bundlesDir, root);

    // Assess
    expect([first.built, second.built]).toEqual([true, false]);
    for (const id of AUTOMATION_IDS) await expect(readFile(workerBundleFile(bundlesDir, workerHandler(id)), 'utf8')).resolves.toContain('handler');
    const { inputs } = JSON.parse(await readFile(infoFile(), 'utf8')) as { inputs: string[] };
    expect(inputs).toEqual(expect.arrayContaining(['package-lock.json', 'packages/functions/src/handlers/cache-repository.ts', 'packages/core/src/cache-repository/merge-policy.ts']));
    expect(inputs.some((input) => input.includes('node_modules/jsonc-parser'))).toBe(false);
  });

  it.each([
    ['a source changed after the build', (info: Record<string, unknown>) => void (info['builtAt'] = 0)],
    ['other bundling settings', (info: Record<string, unknown>) => void (info['settings'] = { format: 'cjs', minify: true, esbuild: {} })],
    ['a source that no longer exists', (info: Record<string, unknown>) => void (info['inputs'] = ['packages/functions/src/handlers/removed.ts'])],
  ])('rebuilds after %s', async (_case, edit) => {
    // Prepare
    await editInfo(edit);

    // Act
    const { built } = await buildWorkerBundles(bundlesDir, root);

    // Assess
    expect(built).toBe(true);
  });
});
