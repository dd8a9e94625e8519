import { EnvVar, requireEnv } from '../constants.js';

/** The state table's variable: the shared name (EnvVar.StateTable, from the topology's WORKER_ENVIRONMENT). */
const STATE_TABLE_ENV = EnvVar.StateTable;

/** The state table's name; a missing variable is an infra wiring bug and the error names it. */
const requireStateTable = (): string => requireEnv(STATE_TABLE_ENV);

export { requireStateTable, STATE_TABLE_ENV };
