import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { REPOSITORY_ROOT } from './repository-root.js';

/** What a running stack records so that other commands (down, scan, alerts, trigger, the demo) can find it. */
const LocalStackStateSchema = z.object({
  pid: z.number().int().positive(),
  /** Started by `up --detach`: the pid leads its own process group, which `down` may signal as a whole. */
  detached: z.boolean(),
  startedAt: z.string(),
  configPath: z.string(),
  /** The configuration's registry: SDK clients of the demo and scripts use this Region. */
  account: z.string(),
  region: z.string(),
  readyMs: z.number(),
  urls: z.object({
    registry: z.string(),
    aws: z.string(),
    /** dynalite, with the config table: AWS_ENDPOINT_URL_DYNAMODB for scripts (absent in files of older stacks). */
    dynamo: z.string().optional(),
    upstreams: z.record(z.string(), z.string()),
    control: z.string(),
  }),
  /** Bearer token of the control API; the file is readable by its owner only. */
  controlToken: z.string(),
  /** The live log of a detached stack. */
  logFile: z.string().optional(),
});
type LocalStackState = z.output<typeof LocalStackStateSchema>;

const STATE_FILE = 'state.json';
const STATE_DIR_VARIABLE = 'DOCKMASTER_STATE_DIR';

/** `$DOCKMASTER_STATE_DIR`, else `.dockmaster/local/` under the repository root (gitignored). */
const defaultStateDir = (): string => process.env[STATE_DIR_VARIABLE] ?? path.join(REPOSITORY_ROOT, '.dockmaster', 'local');

const stateFilePath = (stateDir: string): string => path.join(stateDir, STATE_FILE);

/** The recorded stack, or undefined when none is recorded (or the file is not ours to read). */
const readState = (stateDir: string): LocalStackState | undefined => {
  let text: string;
  try {
    text = readFileSync(stateFilePath(stateDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = LocalStackStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const writeState = (stateDir: string, state: LocalStackState): void => {
  mkdirSync(stateDir, { recursive: true });
  // 0600: the control token lets anyone holding it stop the stack.
  writeFileSync(stateFilePath(stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
};

/** Removes the state file, only if it still describes `pid` (a newer stack may have replaced it). */
const removeState = (stateDir: string, pid: number): void => {
  if (readState(stateDir)?.pid === pid) rmSync(stateFilePath(stateDir), { force: true });
};

/** Signal 0 checks existence without signalling; EPERM means it exists but belongs to someone else. */
const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export { defaultStateDir, isProcessAlive, LocalStackStateSchema, readState, removeState, STATE_DIR_VARIABLE, STATE_FILE, stateFilePath, writeState };
export type { LocalStackState };
