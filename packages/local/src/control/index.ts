export { ControlClient } from './control-client.js';
export { startControlServer } from './control-server.js';
export type { RunningControlServer } from './control-server.js';
export { findRepositoryRoot, REPOSITORY_ROOT } from './repository-root.js';
export { defaultStateDir, isProcessAlive, LocalStackStateSchema, readState, removeState, STATE_DIR_VARIABLE, STATE_FILE, stateFilePath, writeState } from './state-file.js';
export type { LocalStackState } from './state-file.js';
