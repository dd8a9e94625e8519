/*
 * `npm run bench`: dockmaster sync against skopeo sync on the local-registry notes' data set, in interleaved
 * pairs (DOCKMASTER_BENCH_PAIRS, default 7, at least 5) so that each ratio compares runs seconds apart; then the
 * load time of every worker bundle as SST builds it against its baseline (handlers.ts). Not part of `npm test`;
 * takes two to three minutes.
 *
 * Every copy goes between two CNCF Distribution registries on tmpfs (startDistribution uses /dev/shm). Before
 * every cold run the target gets fresh storage and skopeo's blob-info cache is deleted; every run is checked
 * (all tags at the expected digests, all index children and blobs present) before its time counts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WORKER_NODEJS } from '@dockmaster/core/topology';
import { startDistribution } from '@dockmaster/registry/testing';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { buildCliBundle } from '../../packages/cli/scripts/build-bundle.js';
import { deleteSkopeoBlobInfoCache, dockmasterSyncArgs, skopeoSyncArgs, timedRun, writeSkopeoFiles } from './copiers.js';
import type { TimedRun } from './copiers.js';
import { buildDataset, MB, seedDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { handlerRows, measureHandlers } from './handlers.js';
import { formatSeconds, median, quartiles, spread, table } from './stats.js';
import { verifyTarget } from './verify.js';

/** Interleaved pairs of runs per comparison (issue 16: at least 5); the ratios are taken within each pair. */
const PAIRS = Number(process.env.DOCKMASTER_BENCH_PAIRS ?? 7);
const MIN_PAIRS = 5;
const HANDLER_LOADS = 7;
const COLD_GOAL = 2;
const NOOP_GOAL = 3;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const CLI_LAUNCHER = path.join(repoRoot, 'packages/cli/bin/dockmaster.mjs');
const run = promisify(execFile);

/** How one copier is started: the command line for a cold copy into `target` and for its re-runs. */
interface Copier {
  name: string;
  cold: (target: RunningDistribution, statePath: string) => Promise<TimedRun>;
  noops: { name: string; run: (target: RunningDistribution, statePath: string) => Promise<TimedRun> }[];
}

/** Every run of one scenario (`<copier>|<cold or no-op name>`), in pair order. */
type Samples = Map<string, TimedRun[]>;

function record(samples: Samples, key: string, result: TimedRun): void {
  samples.set(key, [...(samples.get(key) ?? []), result]);
}

/** dockmaster prints its report with --json; a no-op must have skipped everything it claims to. */
interface DockmasterJsonReport {
  imagesCopied: number;
  imagesSkipped: number;
  imagesFailed: number;
  blobsUploaded: number;
  blobsMounted: number;
  blobsSkipped: number;
}

function checkDockmasterReport(result: TimedRun, expect: { copied: number; skipped: number }, what: string): DockmasterJsonReport {
  const report = JSON.parse(result.stdout) as DockmasterJsonReport;
  if (report.imagesFailed !== 0 || report.imagesCopied !== expect.copied || report.imagesSkipped !== expect.skipped) {
    throw new Error(`${what}: expected ${expect.copied} copied and ${expect.skipped} skipped, got ${JSON.stringify(report)}`);
  }
  return report;
}

async function versions(): Promise<string> {
  const skopeo = (await run('skopeo', ['--version'])).stdout.trim();
  const registry = (await run('docker-registry', ['--version'])).stdout.trim();
  // The load average says how much other work shared the CPUs: on a busy machine every figure moves.
  return `node ${process.version}, ${skopeo}, ${registry}, ${cpus().length} CPU(s), load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`;
}

async function main(): Promise<void> {
  if (!Number.isInteger(PAIRS) || PAIRS < MIN_PAIRS) throw new Error(`DOCKMASTER_BENCH_PAIRS must be a whole number of at least ${MIN_PAIRS}`);
  const benchStarted = performance.now();
  const workDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-bench-'));
  let upstream: RunningDistribution | undefined;
  try {
    console.log(`dockmaster benchmark: ${await versions()}`);
    const dataset: Dataset = buildDataset();
    console.log(
      `data set: ${dataset.images.length} images in ${dataset.repositories.length} repositories (2 multi-platform), ` +
        `${dataset.uniqueBlobs} unique blobs, ${(dataset.uniqueBytes / MB).toFixed(1)} MB unique, ${(dataset.logicalBytes / MB).toFixed(1)} MB logical`,
    );
    upstream = await startDistribution({ name: 'bench-upstream' });
    const seedStarted = performance.now();
    await seedDataset(upstream.url, dataset);
    await verifyTarget(upstream.url, dataset);
    console.log(`seeded ${upstream.url} in ${formatSeconds((performance.now() - seedStarted) / 1000)}`);

    // What `npm ci` builds (the root prepare script) and what `npx dockmaster` then runs: bin/dockmaster.mjs.
    await buildCliBundle();
    const skopeoFiles = await writeSkopeoFiles(workDir, upstream.host, dataset);
    const source = upstream;
    const dockmaster = (env: NodeJS.ProcessEnv) => (target: RunningDistribution, statePath?: string) =>
      timedRun(process.execPath, [CLI_LAUNCHER, ...dockmasterSyncArgs(source.url, target.url, dataset, statePath)], { cwd: repoRoot, env });
    const bundled = dockmaster({ DOCKMASTER_FROM_SOURCES: '0' });
    // The launcher's fallback when the bundle is older than the sources: TypeScript through tsx.
    const fromSources = dockmaster({ DOCKMASTER_FROM_SOURCES: '1' });

    const copiers: Copier[] = [
      {
        name: 'skopeo sync',
        cold: (target) => timedRun('skopeo', skopeoSyncArgs(skopeoFiles, target.host)),
        noops: [{ name: 'no-op', run: (target) => timedRun('skopeo', skopeoSyncArgs(skopeoFiles, target.host)) }],
      },
      {
        name: 'dockmaster (bundled)',
        cold: (target, statePath) => bundled(target, statePath),
        noops: [
          { name: 'no-op', run: (target, statePath) => bundled(target, statePath) },
          { name: 'no-op, no state', run: (target) => bundled(target) },
        ],
      },
      {
        name: 'dockmaster (sources)',
        cold: (target, statePath) => fromSources(target, statePath),
        noops: [{ name: 'no-op', run: (target, statePath) => fromSources(target, statePath) }],
      },
    ];

    const samples: Samples = new Map();
    let coldCounts = '';
    let verified = { tags: 0, blobReferences: 0 };
    for (let pair = 1; pair <= PAIRS; pair += 1) {
      // Interleaved, and the order turns every pair: drift in the machine's load hits every copier alike, and
      // each ratio below compares runs that were a few seconds apart.
      const order = pair % 2 === 1 ? copiers : [...copiers].reverse();
      for (const copier of order) {
        const target = await startDistribution({ name: 'bench-target' });
        const statePath = path.join(workDir, `state-${pair}-${copier.name.replace(/\W+/g, '-')}.json`);
        try {
          await deleteSkopeoBlobInfoCache();
          const cold = await copier.cold(target, statePath);
          verified = await verifyTarget(target.url, dataset);
          if (copier.name !== 'skopeo sync') {
            const counts = checkDockmasterReport(cold, { copied: dataset.images.length, skipped: 0 }, `${copier.name} cold`);
            coldCounts = `${counts.blobsUploaded} blobs uploaded, ${counts.blobsMounted} mounted, ${counts.blobsSkipped} skipped`;
          }
          record(samples, `${copier.name}|cold`, cold);
          for (const noop of copier.noops) {
            const again = await noop.run(target, statePath);
            await verifyTarget(target.url, dataset);
            if (copier.name !== 'skopeo sync') checkDockmasterReport(again, { copied: 0, skipped: dataset.images.length }, `${copier.name} ${noop.name}`);
            record(samples, `${copier.name}|${noop.name}`, again);
          }
        } finally {
          await target.stop();
        }
      }
      process.stderr.write(`pair ${pair}/${PAIRS} done\n`);
    }

    const runsOf = (key: string): TimedRun[] => samples.get(key) ?? [];
    const wall = (key: string): number[] => runsOf(key).map((result) => result.seconds);
    const cpu = (key: string): number[] => runsOf(key).map((result) => result.cpuSeconds);
    /** slower / faster of each pair: the speed-up of `fast` over `slow`, one per pair. */
    const pairRatios = (slow: number[], fast: number[]): number[] => fast.map((seconds, at) => (slow[at] as number) / seconds);
    const ratioCells = (ratios: number[]): string[] => {
      const { q1, q3 } = quartiles(ratios);
      const { min, max } = spread(ratios);
      return [`${median(ratios).toFixed(2)}x`, `${q1.toFixed(2)}-${q3.toFixed(2)}`, `${min.toFixed(2)}-${max.toFixed(2)}`];
    };
    const scenarios = [
      { label: 'cold copy', ours: 'dockmaster (bundled)|cold', theirs: 'skopeo sync|cold', goal: COLD_GOAL },
      { label: 'no-op re-run, --state', ours: 'dockmaster (bundled)|no-op', theirs: 'skopeo sync|no-op', goal: NOOP_GOAL },
      { label: 'no-op re-run, no state', ours: 'dockmaster (bundled)|no-op, no state', theirs: 'skopeo sync|no-op', goal: NOOP_GOAL },
      { label: 'cold copy (from sources)', ours: 'dockmaster (sources)|cold', theirs: 'skopeo sync|cold', goal: COLD_GOAL },
      { label: 'no-op, --state (from sources)', ours: 'dockmaster (sources)|no-op', theirs: 'skopeo sync|no-op', goal: NOOP_GOAL },
    ];
    console.log(
      `\nCopy: ${PAIRS} interleaved pairs; speed-up = skopeo's wall time / dockmaster's within each pair: median, interquartile range, min-max. ` +
        `Every run verified (${verified.tags} tags, ${verified.blobReferences} blob references, digests equal):`,
    );
    console.log(
      table([
        ['scenario', 'speed-up', 'IQR', 'min-max', 'goal', 'skopeo (median)', 'dockmaster (median)', 'CPU skopeo / dockmaster', 'dockmaster runs (s)'],
        ...scenarios.map(({ label, ours, theirs, goal }) => {
          const ratios = pairRatios(wall(theirs), wall(ours));
          return [
            label,
            ...ratioCells(ratios),
            `${median(ratios) >= goal ? 'met' : 'NOT met'} (>= ${goal}x)`,
            formatSeconds(median(wall(theirs))),
            formatSeconds(median(wall(ours))),
            `${formatSeconds(median(cpu(theirs)))} / ${formatSeconds(median(cpu(ours)))}`,
            wall(ours).map((seconds) => seconds.toFixed(2)).join(' '),
          ];
        }),
      ]),
    );
    console.log(`skopeo runs (s): cold ${wall('skopeo sync|cold').map((seconds) => seconds.toFixed(2)).join(' ')}; no-op ${wall('skopeo sync|no-op').map((seconds) => seconds.toFixed(2)).join(' ')}`);
    console.log(
      `dockmaster cold copy: ${coldCounts}. dockmaster runs as \`npx dockmaster\` does: bin/dockmaster.mjs with the bundle \`npm ci\` builds; ` +
        '"from sources" = its fallback when the bundle is older than the sources (TypeScript through tsx). CPU = user + system of the copier process.',
    );
    // The bundle must never be slower than the sources it was built from (issue 16, item 5).
    console.log('\nBundled CLI against the sources, same pairs: sources / bundle (above 1 = the bundle is faster):');
    console.log(
      table([
        ['scenario', 'wall ratio', 'IQR', 'min-max', 'CPU ratio', 'IQR', 'min-max'],
        ...[
          ['cold copy', 'cold'],
          ['no-op re-run, --state', 'no-op'],
        ].map(([label, key]) => [
          label as string,
          ...ratioCells(pairRatios(wall(`dockmaster (sources)|${key}`), wall(`dockmaster (bundled)|${key}`))),
          ...ratioCells(pairRatios(cpu(`dockmaster (sources)|${key}`), cpu(`dockmaster (bundled)|${key}`))),
        ]),
      ]),
    );

    console.log(
      `\nWorker bundles as SST builds them (the nodejs settings infra passes: ${JSON.stringify(WORKER_NODEJS)}), each against its baseline: ` +
        `a bundle of only the SDK clients and Powertools utilities of the worker's declared calls, same options. ` +
        `Load = require in a fresh node process, ${HANDLER_LOADS} interleaved pairs, medians:`,
    );
    const figures = await measureHandlers(repoRoot, path.join(workDir, 'handlers'), HANDLER_LOADS);
    console.log(table(handlerRows(figures)));
    for (const figure of figures) console.log(`  ${figure.name} baseline holds: ${figure.baselineHolds}`);
    console.log(`\nbenchmark took ${formatSeconds((performance.now() - benchStarted) / 1000)}; load average at the end ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  } finally {
    await upstream?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
