/*
 * `npx tsx test/bench/profile-sync.ts [runs]`: where a `dockmaster sync` spends its time, against the floors no
 * client change removes. On the benchmark's data set (run.ts), it runs the bundled CLI and its sources fallback
 * under `node --cpu-prof` (cold copy, then the no-op with --state), `runs` times each (default 3), and prints per
 * scenario the medians of: wall time; Node's own start-up and exit (wall time outside the profile); and, inside
 * the profile, module loading and compiling, dockmaster's code, Node's HTTP/stream code, garbage collection,
 * and idle time (waiting for the registries). Then the floors: `node -e 0`, and a bare node:http script that
 * sends the no-op's requests (one tag list per repository, one manifest HEAD per tag) on keep-alive sockets.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDistribution } from '@dockmaster/registry/testing';
import { buildCliBundle } from '../../packages/cli/scripts/build-bundle.js';
import { dockmasterSyncArgs, timedRun } from './copiers.js';
import { buildDataset, seedDataset } from './dataset.js';
import type { Dataset } from './dataset.js';
import { median, table } from './stats.js';
import { verifyTarget } from './verify.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const CLI_LAUNCHER = path.join(repoRoot, 'packages/cli/bin/dockmaster.mjs');

/** The part of a V8 .cpuprofile this reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const CATEGORIES = ['module loading and compiling', 'dockmaster code', 'HTTP, sockets and streams', 'other Node internals', 'garbage collection', 'idle (waiting for the registries)'] as const;
type Category = (typeof CATEGORIES)[number];

/** Which part of the work one profile frame is (V8's pseudo-frames and the URL of the function). */
const categoryOf = ({ functionName, url }: { functionName: string; url: string }): Category => {
  if (functionName === '(idle)') return 'idle (waiting for the registries)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  // (program) is V8 outside JavaScript: parsing and compiling, mostly, at start-up.
  if (functionName === '(program)' || /^node:internal\/(modules|vm|bootstrap)|\/node_modules\/(tsx|esbuild|get-tsconfig)\//.test(url)) return 'module loading and compiling';
  if (/^node:(internal\/)?(_?http|https|net|stream|internal\/streams|tls|dns|_http)/.test(url) || /^node:internal\/(http|stream|net|dns|url)/.test(url)) return 'HTTP, sockets and streams';
  // Native socket writes (the bytes and headers handed to the kernel) have no URL.
  if (url === '' && /^(write\w*String|writeBuffer|writev|shutdown|readStop|readStart)$/.test(functionName)) return 'HTTP, sockets and streams';
  if (url.startsWith('node:') || url === '') return 'other Node internals';
  return 'dockmaster code';
};

/** Milliseconds per category of one profile, and the profile's own length. */
const summarise = (profile: CpuProfile): { byCategory: Record<Category, number>; profiledMs: number } => {
  const categoryById = new Map(profile.nodes.map((node) => [node.id, categoryOf(node.callFrame)]));
  const byCategory = Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<Category, number>;
  profile.samples.forEach((id, at) => {
    byCategory[categoryById.get(id) ?? 'other Node internals'] += (profile.timeDeltas[at] ?? 0) / 1000;
  });
  return { byCategory, profiledMs: (profile.endTime - profile.startTime) / 1000 };
};

interface ProfiledRun {
  wallMs: number;
  cpuMs: number;
  startAndExitMs: number;
  byCategory: Record<Category, number>;
}

/** Runs the CLI once under --cpu-prof (through NODE_OPTIONS, so the launcher and everything it loads count). */
const profiledRun = async (args: string[], env: NodeJS.ProcessEnv, profileDir: string): Promise<ProfiledRun> => {
  await rm(profileDir, { recursive: true, force: true });
  const result = await timedRun(process.execPath, [CLI_LAUNCHER, ...args], { cwd: repoRoot, env: { ...env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } });
  const [file] = await readdir(profileDir);
  if (file === undefined) throw new Error(`no profile written in ${profileDir}`);
  const { byCategory, profiledMs } = summarise(JSON.parse(await readFile(path.join(profileDir, file), 'utf8')) as CpuProfile);
  return { wallMs: result.seconds * 1000, cpuMs: result.cpuSeconds * 1000, startAndExitMs: result.seconds * 1000 - profiledMs, byCategory };
};

/** The no-op's requests without any client: tag lists, then a manifest HEAD per tag, all on keep-alive sockets. */
const bareRequests = async (baseUrl: string, dataset: Dataset): Promise<number> => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const request = (method: string, pathname: string, accept: string): Promise<void> =>
    new Promise((resolve, reject) => {
      http
        .request(new URL(pathname, baseUrl), { method, agent, headers: { accept } }, (response) => {
          response.resume().once('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${method} ${pathname}: ${response.statusCode}`))));
        })
        .once('error', reject)
        .end();
    });
  const manifestTypes = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json';
  const started = performance.now();
  await Promise.all(
    dataset.repositories.map(async (repository) => {
      await request('GET', `/v2/${repository}/tags/list`, 'application/json');
      await Promise.all(dataset.images.filter((image) => image.repository === repository).map((image) => request('HEAD', `/v2/${repository}/manifests/${image.tag}`, manifestTypes)));
    }),
  );
  const ms = performance.now() - started;
  agent.destroy();
  return ms;
};

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('runs must be a whole number: npx tsx test/bench/profile-sync.ts 3');
  const loadBefore = loadavg().map((load) => load.toFixed(2)).join(' ');
  const workDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-profile-'));
  const upstream = await startDistribution({ name: 'profile-upstream' });
  try {
    const dataset = buildDataset();
    await seedDataset(upstream.url, dataset);
    await buildCliBundle();
    const variants = [
      { name: 'bundled', env: { DOCKMASTER_FROM_SOURCES: '0' } },
      { name: 'sources', env: { DOCKMASTER_FROM_SOURCES: '1' } },
    ];
    const results = new Map<string, ProfiledRun[]>();
    const floors = { nodeStart: [] as number[], requests: [] as number[] };
    for (let run = 0; run < runs; run += 1) {
      for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
        const target = await startDistribution({ name: 'profile-target' });
        try {
          const statePath = path.join(workDir, `state-${variant.name}-${run}.json`);
          const args = dockmasterSyncArgs(upstream.url, target.url, dataset, statePath);
          const cold = await profiledRun(args, variant.env, path.join(workDir, 'profile'));
          await verifyTarget(target.url, dataset);
          const noop = await profiledRun(args, variant.env, path.join(workDir, 'profile'));
          results.set(`${variant.name}|cold copy`, [...(results.get(`${variant.name}|cold copy`) ?? []), cold]);
          results.set(`${variant.name}|no-op, --state`, [...(results.get(`${variant.name}|no-op, --state`) ?? []), noop]);
        } finally {
          await target.stop();
        }
      }
      floors.nodeStart.push((await timedRun(process.execPath, ['-e', '0'])).seconds * 1000);
      floors.requests.push(await bareRequests(upstream.url, dataset));
    }
    const ms = (values: number[]): string => `${median(values).toFixed(0)}`;
    console.log(`Where a dockmaster sync spends its time: medians of ${runs} profiled runs (ms; the profiler itself adds some)`);
    console.log(
      table([
        ['scenario', 'wall', 'CPU', 'Node start + exit', ...CATEGORIES],
        ...[...results].map(([key, samples]) => [
          key.replace('|', ', '),
          ms(samples.map((sample) => sample.wallMs)),
          ms(samples.map((sample) => sample.cpuMs)),
          ms(samples.map((sample) => sample.startAndExitMs)),
          ...CATEGORIES.map((category) => ms(samples.map((sample) => sample.byCategory[category]))),
        ]),
      ]),
    );
    const requestCount = dataset.repositories.length + dataset.images.length;
    console.log(`floors: node -e 0 ${ms(floors.nodeStart)} ms; the no-op's ${requestCount} requests from a bare node:http script ${ms(floors.requests)} ms`);
    console.log(`${cpus().length} CPUs; load average before ${loadBefore}, after ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  } finally {
    await upstream.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
