import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Dataset } from './dataset.js';

interface TimedRun {
  seconds: number;
  /** CPU time (user + system) of the command and the children it waited for; 10 ms resolution. */
  cpuSeconds: number;
  stdout: string;
}

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux architecture Node runs on. */
const USER_HZ = 100;

/**
 * CPU seconds of this process's children that have been waited for (cutime + cstime of /proc/self/stat): the
 * difference around one run is that run's CPU, whatever else the machine is doing. The registries are children
 * too, but count only when they exit, after the run. Linux only, like the registries the benchmark runs.
 */
function reapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / USER_HZ;
}

/** stderr is kept for error messages only; stdout is kept whole (dockmaster's --json report). */
const STDERR_KEEP_CHARS = 4_000;

/** Runs a command to completion and returns its wall time (monotonic clock: the VM's wall clock can step). */
async function timedRun(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TimedRun> {
  const cpuBefore = reapedChildrenCpuSeconds();
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd === undefined ? {} : { cwd: options.cwd }), env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = reapedChildrenCpuSeconds() - cpuBefore;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.trim() || stdout.slice(-STDERR_KEEP_CHARS).trim()}`);
  return { seconds, cpuSeconds, stdout };
}

/**
 * skopeo's blob-location cache lets it mount blobs it saw in earlier runs; the notes delete it before each
 * cold run so every run starts equal. Root keeps it under /var/lib, other users under XDG_DATA_HOME.
 */
async function deleteSkopeoBlobInfoCache(): Promise<void> {
  const directory =
    process.getuid?.() === 0 ? '/var/lib/containers/cache' : path.join(process.env.XDG_DATA_HOME ?? path.join(homedir(), '.local', 'share'), 'containers', 'cache');
  await rm(path.join(directory, 'blob-info-cache-v1.boltdb'), { force: true });
}

/** Files skopeo sync needs: the source list (`[]` = every tag) and a policy that accepts unsigned images. */
async function writeSkopeoFiles(workDir: string, sourceHost: string, dataset: Dataset): Promise<{ syncYaml: string; policy: string }> {
  const syncYaml = path.join(workDir, 'sync.yml');
  const policy = path.join(workDir, 'policy.json');
  // JSON is valid YAML, so no YAML writer is needed.
  const images = Object.fromEntries(dataset.repositories.map((repository) => [repository, []]));
  await writeFile(syncYaml, JSON.stringify({ [sourceHost]: { 'tls-verify': false, images } }, null, 2));
  await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  return { syncYaml, policy };
}

/** skopeo sync keeps only the last path component of each source repository, so the prefix goes in the destination. */
function skopeoSyncArgs(files: { syncYaml: string; policy: string }, targetHost: string): string[] {
  return ['--policy', files.policy, 'sync', '--all', '--preserve-digests', '--src', 'yaml', '--dest', 'docker', '--dest-tls-verify=false', files.syncYaml, `${targetHost}/perf`];
}

function dockmasterSyncArgs(sourceUrl: string, targetUrl: string, dataset: Dataset, statePath?: string): string[] {
  return [
    'sync',
    '--from',
    sourceUrl,
    '--to',
    targetUrl,
    ...dataset.repositories.flatMap((repository) => ['--repository', repository]),
    ...(statePath === undefined ? [] : ['--state', statePath]),
    '--json',
  ];
}

export { deleteSkopeoBlobInfoCache, dockmasterSyncArgs, skopeoSyncArgs, timedRun, writeSkopeoFiles };
export type { TimedRun };
