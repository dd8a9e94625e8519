import type { LocalStackState } from '../control/state-file.js';
import type { LocalStack } from './start-local-stack.js';

/**
 * What a running stack records in its state file (see control/state-file.ts), for `local up` and for tests
 * that start a stack in-process and let the CLI's local commands find it.
 */
const localStackState = (
  stack: Pick<LocalStack, 'config' | 'readyMs' | 'urls' | 'controlToken'>,
  options: { configPath: string; detached: boolean; logFile?: string },
): LocalStackState => ({
  pid: process.pid,
  detached: options.detached,
  startedAt: new Date().toISOString(),
  configPath: options.configPath,
  account: stack.config.registry.accountId,
  region: stack.config.registry.region,
  readyMs: stack.readyMs,
  urls: stack.urls,
  controlToken: stack.controlToken,
  ...(options.logFile === undefined ? {} : { logFile: options.logFile }),
});

export { localStackState };
