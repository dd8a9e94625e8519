import path from 'node:path';
import { defaultStateDir, isProcessAlive, readState, REPOSITORY_ROOT, removeState, type LocalStackState } from '@dockmaster/local/control';
import type { CliIo } from '../../io.js';

const DEFAULT_CONFIG = path.join(REPOSITORY_ROOT, 'docs', 'examples', 'dockmaster.example.yaml');

/** The stack recorded in the state directory if its process still runs; a stale record is removed. */
const findRunningStack = (stateDir: string = defaultStateDir()): LocalStackState | undefined => {
  const state = readState(stateDir);
  if (state === undefined) return undefined;
  if (isProcessAlive(state.pid)) return state;
  removeState(stateDir, state.pid);
  return undefined;
};

/** For the commands that need a stack: the state, or a message saying how to start one. */
const requireRunningStack = (io: CliIo, stateDir: string = defaultStateDir()): LocalStackState | undefined => {
  const state = findRunningStack(stateDir);
  if (state === undefined) io.stderr(`no local stack is running (nothing recorded in ${stateDir}); start one with: dockmaster local up --detach`);
  return state;
};

const quote = (text: string): string => JSON.stringify(text);

/** `{"registry": "...", "aws": "...", "upstreams": {"registry.k8s.io": "..."}}`: the documented one-line form. */
const urlsLine = (urls: LocalStackState['urls']): string =>
  `{"registry": ${quote(urls.registry)}, "aws": ${quote(urls.aws)}, "upstreams": {${Object.entries(urls.upstreams)
    .map(([host, url]) => `${quote(host)}: ${quote(url)}`)
    .join(', ')}}}`;

export { DEFAULT_CONFIG, findRunningStack, REPOSITORY_ROOT, requireRunningStack, urlsLine };
