import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Options for one throw-away CNCF Distribution (docker-registry 2.8) instance on loopback. */
interface StartDistributionOptions {
  /** Shows up in the registry's log fields and in the temp directory name. */
  name?: string;
  /** Run as a pull-through cache of this upstream registry (`proxy.remoteurl`). Proxies refuse pushes. */
  proxyRemoteUrl?: string;
  /** Send webhook notifications (one event per POST) to this URL. */
  notificationsUrl?: string;
  /** Extra headers on every notification POST, e.g. `{ Authorization: ['Bearer x'] }`. */
  notificationsHeaders?: Record<string, string[]>;
  /** Storage directory to use instead of a fresh temp one; it is kept on stop() because the caller owns it. */
  rootDirectory?: string;
  /** `storage.delete.enabled`; default true. */
  deleteEnabled?: boolean;
}

interface RunningDistribution {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, the form skopeo and image references want. */
  host: string;
  port: number;
  rootDirectory: string;
  configPath: string;
  /** Stops the registry and removes the storage it created. Safe to call twice. */
  stop(): Promise<void>;
}

const BINARY_NAME = 'docker-registry';
const INSTALL_HINT = 'apt-get install -y docker-registry';
const STARTUP_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 10;
const STOP_GRACE_MS = 3_000;
const PORT_ATTEMPTS = 5;
const STDERR_KEEP_CHARS = 4_000;

class DistributionUnavailableError extends Error {
  public constructor() {
    super(
      `The CNCF Distribution registry binary "${BINARY_NAME}" was not found on PATH or in /usr/bin. ` +
        `Install it with \`${INSTALL_HINT}\` (Debian/Ubuntu) and run the command again.`,
    );
    this.name = 'DistributionUnavailableError';
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findDistributionBinary(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [...dirs, '/usr/bin'].map((dir) => path.join(dir, BINARY_NAME)).find(isExecutable);
}

function isDistributionAvailable(): boolean {
  return findDistributionBinary() !== undefined;
}

/** Asks the kernel for a free loopback port. Another process could take it before the registry binds; start retries. */
async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free loopback port'));
      });
    });
  });
}

/** tmpfs roughly halves registry test time (see the local-registry notes). */
function scratchBase(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

function registryConfig(options: StartDistributionOptions, port: number, rootDirectory: string): unknown {
  const config: Record<string, unknown> = {
    version: 0.1,
    log: {
      level: 'warn',
      formatter: 'text',
      accesslog: { disabled: true },
      fields: { service: options.name ?? 'dockmaster-test-registry' },
    },
    storage: {
      filesystem: { rootdirectory: rootDirectory },
      delete: { enabled: options.deleteEnabled ?? true },
      cache: { blobdescriptor: 'inmemory' },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: `127.0.0.1:${port}`,
      // Fixed: without it 2.8 generates one per start, which breaks uploads across instances.
      secret: 'dockmaster-local-not-secret',
    },
  };
  if (options.notificationsUrl !== undefined) {
    config.notifications = {
      events: { includereferences: true },
      endpoints: [
        {
          name: 'dockmaster',
          url: options.notificationsUrl,
          headers: options.notificationsHeaders ?? {},
          timeout: '1s',
          threshold: 3,
          backoff: '1s',
        },
      ],
    };
  }
  if (options.proxyRemoteUrl !== undefined) config.proxy = { remoteurl: options.proxyRemoteUrl };
  return config;
}

async function isServing(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Children still running when the test process exits would hold ports and tmpfs memory. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const live of liveChildren) live.kill('SIGKILL');
    });
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

type StartAttempt = { ok: true; child: ChildProcess; port: number } | { ok: false; stderr: string };

async function startOnce(binary: string, configPath: string, options: StartDistributionOptions, rootDirectory: string): Promise<StartAttempt> {
  const port = await freeLoopbackPort();
  // Distribution reads YAML; JSON is a subset of YAML, so no YAML library is needed here.
  await writeFile(configPath, JSON.stringify(registryConfig(options, port, rootDirectory), null, 2));
  const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + STARTUP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return { ok: false, stderr };
    if (await isServing(url)) return { ok: true, child, port };
    await delay(POLL_INTERVAL_MS);
  }
  await terminate(child);
  return { ok: false, stderr: `${stderr}\n(no 200 from ${url}/v2/ within ${STARTUP_TIMEOUT_MS} ms)` };
}

async function startDistribution(options: StartDistributionOptions = {}): Promise<RunningDistribution> {
  const binary = findDistributionBinary();
  if (binary === undefined) throw new DistributionUnavailableError();

  const safeName = (options.name ?? 'registry').replace(/[^a-zA-Z0-9_.-]/g, '-');
  const workDirectory = await mkdtemp(path.join(scratchBase(), `dockmaster-${safeName}-`));
  const rootDirectory = options.rootDirectory ?? path.join(workDirectory, 'storage');
  await mkdir(rootDirectory, { recursive: true });
  const configPath = path.join(workDirectory, 'config.yml');

  let lastError = '';
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt += 1) {
    const started = await startOnce(binary, configPath, options, rootDirectory);
    if (!started.ok) {
      lastError = started.stderr;
      continue;
    }
    const { child, port } = started;
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        await terminate(child);
        await rm(workDirectory, { recursive: true, force: true });
      })();
      return stopped;
    };
    return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, port, rootDirectory, configPath, stop };
  }
  await rm(workDirectory, { recursive: true, force: true });
  throw new Error(`docker-registry did not start after ${PORT_ATTEMPTS} attempts (config ${configPath}). Last output:\n${lastError.trim()}`);
}

export { DistributionUnavailableError, isDistributionAvailable, startDistribution };
export type { RunningDistribution, StartDistributionOptions };
