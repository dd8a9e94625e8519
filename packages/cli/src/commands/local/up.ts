import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultStateDir, removeState, STATE_DIR_VARIABLE, writeState, type LocalStackState } from '@dockmaster/local/control';
import { REPOSITORY_ROOT } from '@dockmaster/local/runner';
import { localStackState, startLocalStack } from '@dockmaster/local/stack';
import { ExitCode } from '../../constants.js';
import { exitCodeFor } from '../../errors.js';
import { readUserFile, type CliIo } from '../../io.js';
import { DEFAULT_CONFIG, findRunningStack, urlsLine } from './running-stack.js';
import { onStopRequest } from './stop-requests.js';

/** Set on the child of `up --detach`: it records that it leads its own process group. */
const DETACHED_VARIABLE = 'DOCKMASTER_LOCAL_DETACHED';
const LOG_FILE = 'stack.log';
const LOG_TAIL_CHARS = 4_000;
/** Grace for handles a worker left open (SDK keep-alive sockets) after everything was stopped. */
const EXIT_GRACE_MS = 2_000;
/** bin/dockmaster.mjs of this checkout, found from the root so that it is the same from the sources and dist/. */
const LAUNCHER = path.join(REPOSITORY_ROOT, 'packages', 'cli', 'bin', 'dockmaster.mjs');

type ReadyMessage = { kind: 'ready'; urls: LocalStackState['urls'] } | { kind: 'failed'; message: string; exitCode: number };

const tail = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').slice(-LOG_TAIL_CHARS).trim();
  } catch {
    return '';
  }
};

/** `up --detach`: runs `local up` in its own process group with its log in the state directory; returns once it is ready. */
const upDetached = async (configPath: string, stateDir: string, io: CliIo): Promise<ExitCode> => {
  mkdirSync(stateDir, { recursive: true });
  const logFile = path.join(stateDir, LOG_FILE);
  const logFd = openSync(logFile, 'a');
  // The launcher, as a user runs it: the child runs the same bundle (or sources) and reports with the exit-code table.
  const child = spawn(process.execPath, [LAUNCHER, 'local', 'up', '--config', configPath], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, [DETACHED_VARIABLE]: '1', [STATE_DIR_VARIABLE]: stateDir },
  });
  closeSync(logFd);
  const outcome = await new Promise<ReadyMessage>((resolve) => {
    child.once('message', (message) => resolve(message as ReadyMessage));
    // The child exits with the table's code for what stopped it (main.ts); anything else is a failure.
    const known: readonly number[] = Object.values(ExitCode);
    child.once('exit', (code) => resolve({ kind: 'failed', message: tail(logFile), exitCode: code !== null && code !== 0 && known.includes(code) ? code : ExitCode.Failed }));
  });
  if (outcome.kind === 'failed') {
    io.stderr(`the local stack did not start${outcome.message === '' ? '' : `:\n${outcome.message}`}\n(full log: ${logFile})`);
    return outcome.exitCode as ExitCode;
  }
  child.disconnect();
  child.unref();
  io.stdout(urlsLine(outcome.urls));
  return ExitCode.Ok;
};

/**
 * Foreground: the live log until Ctrl-C, SIGTERM, SIGHUP, the exit of the parent process (npm) or `local down`,
 * then a clean stop of everything started.
 */
const upForeground = async (configPath: string, stateDir: string, io: CliIo): Promise<ExitCode> => {
  const detached = process.env[DETACHED_VARIABLE] === '1';
  // Listening before the start: a stop asked for while the registries start must still stop them once started.
  // A detached stack outlives the `up --detach` that started it; a foreground one stops with its parent.
  let stopListening = (): void => undefined;
  let stopRequested: string | undefined;
  const stopRequest = new Promise<string>((resolve) => {
    stopListening = onStopRequest(
      (reason) => {
        stopRequested = reason;
        resolve(reason);
      },
      { watchParent: !detached },
    );
  });
  let stack;
  try {
    stack = await startLocalStack({ configPath, stateDir, log: { write: (line) => io.stdout(line), colour: io.isTty } });
  } catch (error) {
    stopListening();
    process.send?.({ kind: 'failed', message: (error as Error).message, exitCode: exitCodeFor(error) } satisfies ReadyMessage);
    throw error;
  }
  const state = localStackState(stack, { configPath, detached, ...(detached ? { logFile: path.join(stateDir, LOG_FILE) } : {}) });
  if (stopRequested === undefined) {
    writeState(stateDir, state);
    io.stdout(`local stack ready in ${stack.readyMs} ms; stop it with Ctrl-C or \`dockmaster local down\``);
    io.stdout(urlsLine(state.urls));
    process.send?.({ kind: 'ready', urls: state.urls } satisfies ReadyMessage);
  }
  // `local down` and the control API's stop end in stack.stopped.
  const reason = await Promise.race([stopRequest, stack.stopped.then(() => undefined)]);
  if (reason !== undefined) {
    stack.log.info(`${reason}: stopping`);
    await stack.stop();
  }
  stopListening();
  removeState(stateDir, process.pid);
  // Everything this command started is stopped; do not let a library's idle socket keep the process around.
  setTimeout(() => process.exit(ExitCode.Ok), EXIT_GRACE_MS).unref();
  return ExitCode.Ok;
};

/** `dockmaster local up [--config <file>] [--detach]`. */
const up = async (values: { config?: string | undefined; detach?: boolean | undefined }, io: CliIo): Promise<ExitCode> => {
  const configPath = path.resolve(values.config ?? DEFAULT_CONFIG);
  // Read here as every command reads its files (missing, a directory, no permission: exit 2 with the fix); the
  // stack reads it again when it starts.
  readUserFile(configPath, 'configuration');
  const stateDir = defaultStateDir();
  const running = findRunningStack(stateDir);
  if (running !== undefined) {
    io.stderr(`a local stack is already running (pid ${running.pid}, started ${running.startedAt} with ${running.configPath}); stop it first with: dockmaster local down`);
    io.stdout(urlsLine(running.urls));
    return ExitCode.Failed;
  }
  return values.detach === true ? upDetached(configPath, stateDir, io) : upForeground(configPath, stateDir, io);
};

export { DETACHED_VARIABLE, up };
