import { startDistribution } from '@dockmaster/registry/testing';
import { buildDataset, seedDataset } from './dataset.ts';
import { dockmasterSyncArgs } from './copiers.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
const run = promisify(execFile);
const d = buildDataset();
const up = await startDistribution({ name: 'gc-up' });
await seedDataset(up.url, d);
for (let i = 0; i < 3; i++) for (const flags of [[], ['--max-semi-space-size=64']]) {
  const tg = await startDistribution({ name: 'gc-tg' });
  const t = performance.now();
  const r = await run('/usr/bin/time', ['-f', '%U %S', process.execPath, ...flags, '/tmp/cpu-cli/cli-entry.mjs', ...dockmasterSyncArgs(up.url, tg.url, d)]);
  const [u, s] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  console.log(flags.join(' ') || 'default', 'wall', ((performance.now() - t) / 1000).toFixed(2), 'cpu', (u! + s!).toFixed(2));
  await tg.stop();
}
await up.stop();
