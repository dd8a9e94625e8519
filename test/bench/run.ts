/*
 * `npm run bench`: dockmaster sync against skopeo sync on the local-registry notes' data set, plus the size and
 * load time of every worker bundle as SST builds it. Not part of `npm test`; takes about a minute.
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
import { measureHandlers } from './handlers.js';
import { formatSeconds, median, table } from './stats.js';
import { verifyTarget } from './verify.js';

const ROUNDS = 3;
const HANDLER_LOADS = 7;
const LOAD_TARGET_MS = 150;
const COLD_GOAL = 2;
const NOOP_GOAL = 3;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const CLI_LAUNCHER = path.join(repoRoot, 'packages/cli/bin/dockmaster.mjs');
const run = promisify(execFile);

/** How one copier is started: the command line for a cold copy into `target` and for a re-run. */
interface Copier {
  name: string;
  cold: (target: RunningDistribution, statePath: string) => Promise<TimedRun>;
  noops: { name: string; run: (target: RunningDistribution, statePath: string) => Promise<TimedRun> }[];
}

type Samples = Map<string, number[]>;

function record(samples: Samples, key: string, seconds: number): void {
  samples.set(key, [...(samples.get(key) ?? []), seconds]);
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
    for (let round = 1; round <= ROUNDS; round += 1) {
      // Copiers alternate within each round, so drift on the machine hits all of them alike.
      for (const copier of copiers) {
        const target = await startDistribution({ name: 'bench-target' });
        const statePath = path.join(workDir, `state-${round}-${copier.name.replace(/\W+/g, '-')}.json`);
        try {
          await deleteSkopeoBlobInfoCache();
          const cold = await copier.cold(target, statePath);
          verified = await verifyTarget(target.url, dataset);
          if (copier.name !== 'skopeo sync') {
            const counts = checkDockmasterReport(cold, { copied: dataset.images.length, skipped: 0 }, `${copier.name} cold`);
            coldCounts = `${counts.blobsUploaded} blobs uploaded, ${counts.blobsMounted} mounted, ${counts.blobsSkipped} skipped`;
          }
          record(samples, `${copier.name}|cold`, cold.seconds);
          for (const noop of copier.noops) {
            const again = await noop.run(target, statePath);
            await verifyTarget(target.url, dataset);
            if (copier.name !== 'skopeo sync') checkDockmasterReport(again, { copied: 0, skipped: dataset.images.length }, `${copier.name} ${noop.name}`);
            record(samples, `${copier.name}|${noop.name}`, again.seconds);
          }
        } finally {
          await target.stop();
        }
      }
      process.stderr.write(`round ${round}/${ROUNDS} done\n`);
    }

    const med = (key: string): number => median(samples.get(key) ?? []);
    const runs = (key: string): string => (samples.get(key) ?? []).map((seconds) => seconds.toFixed(2)).join(' / ');
    const scenarios = [
      { label: 'cold copy', ours: 'dockmaster (bundled)|cold', theirs: 'skopeo sync|cold', goal: COLD_GOAL },
      { label: 'no-op re-run, --state', ours: 'dockmaster (bundled)|no-op', theirs: 'skopeo sync|no-op', goal: NOOP_GOAL },
      { label: 'no-op re-run, no state', ours: 'dockmaster (bundled)|no-op, no state', theirs: 'skopeo sync|no-op', goal: NOOP_GOAL },
      { label: 'cold copy (from sources)', ours: 'dockmaster (sources)|cold', theirs: 'skopeo sync|cold', goal: COLD_GOAL },
      { label: 'no-op, --state (from sources)', ours: 'dockmaster (sources)|no-op', theirs: 'skopeo sync|no-op', goal: NOOP_GOAL },
    ];
    console.log(`\nCopy, median wall time of ${ROUNDS} rounds; every run verified (${verified.tags} tags, ${verified.blobReferences} blob references, digests equal):`);
    console.log(
      table([
        ['scenario', 'skopeo sync', 'dockmaster sync', 'speed-up', 'goal', 'dockmaster runs (s)', 'skopeo runs (s)'],
        ...scenarios.map(({ label, ours, theirs, goal }) => {
          const speedUp = med(theirs) / med(ours);
          return [label, formatSeconds(med(theirs)), formatSeconds(med(ours)), `${speedUp.toFixed(2)}x`, `${speedUp >= goal ? 'met' : 'NOT met'} (>= ${goal}x)`, runs(ours), runs(theirs)];
        }),
      ]),
    );
    console.log(
      `dockmaster cold copy: ${coldCounts}. dockmaster runs as \`npx dockmaster\` does: bin/dockmaster.mjs with the bundle \`npm ci\` builds; ` +
        '"from sources" = its fallback when the bundle is older than the sources (TypeScript through tsx).',
    );

    console.log(`\nWorker bundles as SST builds them (the nodejs settings infra passes: ${JSON.stringify(WORKER_NODEJS)}); load = median of ${HANDLER_LOADS} fresh node processes:`);
    const figures = await measureHandlers(path.join(repoRoot, 'packages/functions/src/handlers'), path.join(workDir, 'handlers'), HANDLER_LOADS);
    console.log(
      table([
        ['handler', 'bundle', 'import', 'process start -> imported', `target ${LOAD_TARGET_MS} ms`],
        ...figures.map((figure) => [
          figure.name,
          `${figure.bundleKb.toFixed(0)} KB`,
          `${figure.importMs.toFixed(0)} ms`,
          `${figure.processMs.toFixed(0)} ms`,
          figure.importMs <= LOAD_TARGET_MS ? 'ok' : 'OVER',
        ]),
      ]),
    );
    console.log(`\nbenchmark took ${formatSeconds((performance.now() - benchStarted) / 1000)}; load average at the end ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  } finally {
    await upstream?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
