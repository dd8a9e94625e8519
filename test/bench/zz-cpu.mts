import { startDistribution } from '@dockmaster/registry/testing';
import { buildDataset, seedDataset } from './dataset.ts';
import { writeSkopeoFiles, skopeoSyncArgs, dockmasterSyncArgs, deleteSkopeoBlobInfoCache } from './copiers.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build } from 'esbuild';
const run = promisify(execFile);
const d = buildDataset();
const up = await startDistribution({ name: 'cpu-up' });
await seedDataset(up.url, d);
await build({ entryPoints: ['/work/main/test/bench/cli-entry.ts'], outdir: '/tmp/cpu-cli', bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node24', minify: true, outExtension: { '.js': '.mjs' }, logLevel: 'error' });
const files = await writeSkopeoFiles('/tmp', up.host, d);
const cpuOf = async (pid: number) => { const { readFile } = await import('node:fs/promises'); const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
for (let i = 0; i < 2; i++) {
  for (const tool of ['skopeo', 'dockmaster']) {
    const tg = await startDistribution({ name: 'cpu-tg' });
    await deleteSkopeoBlobInfoCache();
    const ps = async () => (await run('ps', ['-eo', 'pid,args'])).stdout.split('\n').filter(l => l.includes('docker-registry serve') && l.includes('dockmaster-cpu-')).map(l => Number(l.trim().split(' ')[0]));
    const pids = await ps();
    const before = await Promise.all(pids.map(cpuOf));
    const t = performance.now();
    const r = tool === 'skopeo'
      ? await run('/usr/bin/time', ['-f', '%U %S', 'skopeo', ...skopeoSyncArgs(files, tg.host)])
      : await run('/usr/bin/time', ['-f', '%U %S', process.execPath, '/tmp/cpu-cli/cli-entry.mjs', ...dockmasterSyncArgs(up.url, tg.url, d)]);
    const wall = (performance.now() - t) / 1000;
    const after = await Promise.all(pids.map(cpuOf));
    const [u, s] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    console.log(tool, 'wall', wall.toFixed(2), 'client cpu', (u! + s!).toFixed(2), 'registries cpu', after.map((a, k) => (a - before[k]!).toFixed(2)).join(' '));
    await tg.stop();
  }
}
await up.stop();
