import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readState, type LocalStackState } from '@dockmaster/local/control';
import { afterEach, describe, expect, it } from 'vitest';
import { answers, REPOSITORY_ROOT } from '../support/local-stack.js';

/*
 * `npm start &` then `kill $!`, as a CI script stops it: the signal reaches npm only. Everything `npm start`
 * started (the `dockmaster local up` process, its registries, tsx's esbuild service) must be gone afterwards,
 * and its state file removed, as after Ctrl-C. Processes are found in /proc: the descendants of npm while
 * the stack runs, each checked again after the signal.
 */

const READY_TIMEOUT_MS = 60_000;
const GONE_TIMEOUT_MS = 20_000;
const POLL_MS = 100;

type ProcessInfo = { pid: number; ppid: number; state: string; command: string };

/** Every process in /proc (pid, parent, state letter, command line). */
const processTable = (): ProcessInfo[] =>
  readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in parentheses may contain spaces and parentheses: the fields follow the last ')'.
      const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      return [{ pid: Number(entry), ppid: Number(ppid), state, command }];
    } catch {
      return []; // exited while being read
    }
  });

const descendantsOf = (root: number): ProcessInfo[] => {
  const table = processTable();
  const found: ProcessInfo[] = [];
  let parents = new Set([root]);
  while (parents.size > 0) {
    const children = table.filter((candidate) => parents.has(candidate.ppid));
    found.push(...children);
    parents = new Set(children.map((child) => child.pid));
  }
  return found;
};

/** Running, not a zombie waiting for PID 1 to reap it. */
const isRunning = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

const until = async <T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || performance.now() > deadline) return value;
    await delay(POLL_MS);
  }
};

let started: { npm: ChildProcess; pids: number[]; stateDir: string } | undefined;

afterEach(async () => {
  // Whatever a failed test left behind is killed by pid, never by name.
  for (const pid of started?.pids ?? []) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  started?.npm.kill('SIGKILL');
  if (started !== undefined) await rm(started.stateDir, { recursive: true, force: true });
  started = undefined;
});

/** `npm start` in the repository, with its own state directory; resolves once the stack recorded itself. */
const startWithNpm = async (): Promise<{ npm: ChildProcess; state: LocalStackState; stateDir: string; output: () => string }> => {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-signal-'));
  let output = '';
  const npm = spawn('npm', ['start'], { cwd: REPOSITORY_ROOT, env: { ...process.env, DOCKMASTER_STATE_DIR: stateDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  npm.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  started = { npm, pids: [], stateDir };
  const state = await until(() => (output.includes('local stack ready') ? readState(stateDir) : undefined), READY_TIMEOUT_MS);
  if (state === undefined) throw new Error(`npm start did not get ready:\n${output}`);
  return { npm, state, stateDir, output: () => output };
};

describe.each(['SIGTERM', 'SIGHUP'] as const)('npm start, then %s to npm alone', (signal) => {
  it('stops the stack process and everything it started (registries, esbuild), and removes the state file', { timeout: READY_TIMEOUT_MS + GONE_TIMEOUT_MS + 10_000 }, async () => {
    // Prepare
    const { npm, state, stateDir, output } = await startWithNpm();
    const before = descendantsOf(npm.pid ?? 0);
    if (started !== undefined) started.pids = before.map((info) => info.pid);
    const registries = before.filter((info) => info.command.includes('docker-registry serve'));
    const storage = registries.map((info) => path.dirname(info.command.split(' ').at(-1) ?? ''));

    // Act
    process.kill(npm.pid ?? 0, signal);
    const survivors = await until(() => {
      const alive = before.filter((info) => isRunning(info.pid));
      return alive.length === 0 ? [] : undefined;
    }, GONE_TIMEOUT_MS);

    // Assess
    expect(registries).toHaveLength(3); // the private registry, the k8s stand-in upstream and its cache
    expect(before.some((info) => info.pid === state.pid)).toBe(true);
    expect(survivors, `still running after ${signal}: ${before.filter((info) => isRunning(info.pid)).map((info) => `${info.pid} ${info.command}`).join('; ')}\n${output()}`).toEqual([]);
    expect(existsSync(path.join(stateDir, 'state.json'))).toBe(false);
    expect(storage.filter((directory) => existsSync(directory))).toEqual([]);
    expect(await answers(state.urls.registry)).toBe(false);
  });
});
