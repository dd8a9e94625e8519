/*
 * `npx tsx test/bench/cold-start.ts [loads]`: the worker cold-start part of `npm run bench` alone. Each worker
 * bundle (as SST builds it) and its baseline (only the SDK clients and Powertools utilities of the worker's
 * declared calls, same build options) are loaded `loads` times each (default 9, at least 7), interleaved, in
 * fresh Node processes. Target: each worker's import at most 1.5x its baseline's, in the same run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlerRows, measureHandlers } from './handlers.js';
import { table } from './stats.js';

const DEFAULT_LOADS = 9;
const MIN_LOADS = 7;

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
    const figures = await measureHandlers(repoRoot, workDir, requested);
    console.log(table(handlerRows(figures)));
    for (const figure of figures) console.log(`  ${figure.name} baseline: ${figure.baselineHolds}`);
    console.log(`\n${requested} interleaved pairs of fresh processes per worker; ${cpus().length} CPUs; load average before ${before}, after ${formatLoadAverage()}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
