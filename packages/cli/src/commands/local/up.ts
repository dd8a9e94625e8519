import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultStateDir, removeState, STATE_DIR_VARIABLE, writeState, type LocalStackState } from '@dockmaster/local/control';
import { localStackState, startLocalStack } from '@dockmaster/local/stack';
import { ExitCode } from '../../constants.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../../io.js';
import { DEFAULT_CONFIG, findRunningStack, urlsLine } from './running-stack.js';
import { onStopRequest } from './stop-requests.js';

/** Set on the child of `up --detach`: it records that it leads its own process group. */
const DETACHED_VARIABLE = 'DOCKMASTER_LOCAL_DETACHED';
const LOG_FILE = 'stack.log';
const LOG_TAIL_CHARS = 4_000;
/** Grace for handles a worker left open (SDK keep-alive sockets) after everything was stopped. */
const EXIT_GRACE_MS = 2_000;

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
  // tsx's loader by path: the child runs the TypeScript sources like the `dockmaster` launcher does.
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const entry = fileURLToPath(new URL('./detached-entry.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', tsxLoader, entry, 'up', '--config', configPath], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, [DETACHED_VARIABLE]: '1', [STATE_DIR_VARIABLE]: stateDir },
  });
  closeSync(logFd);
  const outcome = await new Promise<ReadyMessage>((resolve) => {
    child.once('message', (message) => resolve(message as ReadyMessage));
    child.once('exit', (code) => resolve({ kind: 'failed', message: tail(logFile), exitCode: code === 2 ? ExitCode.Usage : ExitCode.Failed }));
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
    process.send?.({ kind: 'failed', message: (error as Error).message, exitCode: ExitCode.Failed } satisfies ReadyMessage);
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
const up = async (values: { config?: string | undefined; detach?: boolean | undefined }, io: CliIo, usage: string): Promise<ExitCode> => {
  const configPath = path.resolve(values.config ?? DEFAULT_CONFIG);
  if (!existsSync(configPath)) throw new UsageError(`cannot read configuration ${configPath}: no such file\nusage: ${usage}`);
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
