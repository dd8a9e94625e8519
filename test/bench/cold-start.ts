/*
 * `npx tsx test/bench/cold-start.ts [loads]`: size and load time of every worker bundle as SST builds it, without
 * the sync benchmark of run.ts. Each bundle is imported in `loads` (default 9, at least 7) fresh Node processes;
 * the table shows medians. The 150 ms target is the cold-start budget for this 2-core machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureHandlers } from './handlers.js';
import { table } from './stats.js';

const DEFAULT_LOADS = 9;
const MIN_LOADS = 7;
const LOAD_TARGET_MS = 150;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const formatLoadAverage = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const requested = Number(process.argv[2] ?? DEFAULT_LOADS);
  if (!Number.isInteger(requested) || requested < MIN_LOADS) {
    throw new Error(`loads must be a whole number of at least ${MIN_LOADS} (got ${process.argv[2]}): npx tsx test/bench/cold-start.ts 9`);
  }
  const workDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-cold-start-'));
  try {
    const before = formatLoadAverage();
    const figures = await measureHandlers(path.join(repoRoot, 'packages/functions/src/handlers'), workDir, requested);
    const rows = [
      ['handler', 'bundle', 'import (median)', 'process (median)', `import < ${LOAD_TARGET_MS} ms`],
      ...figures.map((figure) => [
        figure.name,
        `${figure.bundleKb.toFixed(0)} KB`,
        `${figure.importMs.toFixed(0)} ms`,
        `${figure.processMs.toFixed(0)} ms`,
        figure.importMs < LOAD_TARGET_MS ? 'yes' : 'NO',
      ]),
    ];
    console.log(table(rows));
    console.log(`\n${requested} fresh processes per handler; ${cpus().length} CPUs; load average before ${before}, after ${formatLoadAverage()}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
