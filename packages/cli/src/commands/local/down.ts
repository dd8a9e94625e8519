import { setTimeout as delay } from 'node:timers/promises';
import { ControlClient, defaultStateDir, isProcessAlive, readState, removeState } from '@dockmaster/local/control';
import { ExitCode } from '../../constants.js';
import type { CliIo } from '../../io.js';

const STOP_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

const waitForExit = async (pid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await delay(POLL_MS);
  }
  return !isProcessAlive(pid);
};

const signal = (target: number, name: NodeJS.Signals): void => {
  try {
    process.kill(target, name);
  } catch (error) {
    // ESRCH: already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

/**
 * `dockmaster local down`: stops the recorded stack and nothing else. The pid is signalled only after its
 * control API confirmed it is that stack (a recorded pid may have been reused); the stack then stops what it
 * started. A detached stack leads its own process group, so leftovers of that group are killed too.
 */
const down = async (io: CliIo): Promise<ExitCode> => {
  const stateDir = defaultStateDir();
  const state = readState(stateDir);
  if (state === undefined) {
    io.stderr(`no local stack is running (nothing recorded in ${stateDir})`);
    return ExitCode.Failed;
  }
  if (!isProcessAlive(state.pid)) {
    removeState(stateDir, state.pid);
    io.stderr(`no local stack is running (pid ${state.pid} has exited; removed its stale record)`);
    return ExitCode.Failed;
  }
  const status = await new ControlClient(state).status().catch(() => undefined);
  if (status?.pid !== state.pid) {
    io.stderr(
      `pid ${state.pid} is running but does not answer as the local stack at ${state.urls.control}; not signalling it. ` +
        `If it is the stack, stop it with \`kill ${state.pid}\`, then remove ${stateDir}/state.json.`,
    );
    return ExitCode.Failed;
  }
  signal(state.pid, 'SIGTERM');
  if (!(await waitForExit(state.pid, STOP_TIMEOUT_MS))) {
    io.stderr(`pid ${state.pid} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`);
    signal(state.detached ? -state.pid : state.pid, 'SIGKILL');
    await waitForExit(state.pid, STOP_TIMEOUT_MS);
  }
  // Registries of a stack that crashed mid-stop would linger in its group; the group is ours alone.
  if (state.detached) signal(-state.pid, 'SIGKILL');
  removeState(stateDir, state.pid);
  io.stdout(`stopped the local stack (pid ${state.pid})`);
  return ExitCode.Ok;
};

export { down };
