import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { startDistribution } from '@dockmaster/registry/testing';
import { dockmasterSyncArgs, timedRun } from './copiers.js';
import { buildDataset, seedDataset } from './dataset.js';
import { median } from './stats.js';
const dataset = buildDataset();
const up = await startDistribution({ name: 'p-up' });
await seedDataset(up.url, dataset);
const dir = await mkdtemp('/tmp/bm/ab-');
const variants: Record<string, NodeJS.ProcessEnv> = { bundled: { DOCKMASTER_FROM_SOURCES: '0' }, 'bundled-nocache': { DOCKMASTER_FROM_SOURCES: '0', NODE_DISABLE_COMPILE_CACHE: '1' }, sources: { DOCKMASTER_FROM_SOURCES: '1' } };
const res: Record<string, { w: number[]; c: number[]; nw: number[]; nc: number[] }> = {};
const N = Number(process.argv[2] ?? 5);
for (let i = 0; i < N; i++) {
  const names = Object.keys(variants); if (i % 2) names.reverse();
  for (const v of names) {
    const t = await startDistribution({ name: 'p-t' });
    const args = dockmasterSyncArgs(up.url, t.url, dataset, path.join(dir, `s-${v}-${i}.json`));
    const r = await timedRun(process.execPath, ['packages/cli/bin/dockmaster.mjs', ...args], { env: variants[v] });
    const n = await timedRun(process.execPath, ['packages/cli/bin/dockmaster.mjs', ...args], { env: variants[v] });
    res[v] ??= { w: [], c: [], nw: [], nc: [] };
    res[v].w.push(r.seconds); res[v].c.push(r.cpuSeconds); res[v].nw.push(n.seconds); res[v].nc.push(n.cpuSeconds);
    await t.stop();
  }
}
await up.stop();
for (const [v, r] of Object.entries(res)) console.log(v.padEnd(16), 'cold wall', median(r.w).toFixed(2), 'cpu', median(r.c).toFixed(2), ' noop wall', median(r.nw).toFixed(3), 'cpu', median(r.nc).toFixed(3), '| cold cpu', r.c.map((x) => x.toFixed(2)).join(' '));
