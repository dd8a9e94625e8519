import { WORKER_NODEJS } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { sstEsbuildOptions, SST_ESM_BANNER } from '../src/bundle/index.js';

describe('sstEsbuildOptions', () => {
  it('builds the workers with ES module builds first, from the nodejs settings infra passes', () => {
    // Act
    const options = sstEsbuildOptions('/repo/packages/functions/src/handlers/tag-policy.ts', '/out/tag-policy');

    // Assess
    expect(options).toMatchObject({ format: WORKER_NODEJS.format, target: 'es2024', minify: true, keepNames: true, mainFields: ['module', 'main'], outfile: '/out/tag-policy/bundle.cjs' });
    expect(options.external).toEqual(['sharp', 'pg-native']);
    expect(options.banner).toBeUndefined();
  });

  it.each([
    ['cjs', ['main'], undefined, 'bundle.cjs'],
    ['esm', ['module', 'main'], SST_ESM_BANNER, 'bundle.mjs'],
  ] as const)('falls back to what SST does for %s without nodejs.esbuild.mainFields', (format, mainFields, banner, file) => {
    // Act
    const options = sstEsbuildOptions('/entry.ts', '/out', { format, minify: false, esbuild: {} }, 'nodejs22.x');

    // Assess
    expect(options).toMatchObject({ format, mainFields, target: 'es2023', minify: false, outfile: `/out/${file}` });
    expect(options.banner?.['js']).toBe(banner);
  });
});
