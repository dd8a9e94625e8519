import { type AlertOnce, createDynamoDbAlertOnce } from '../../adapters/alert-once.js';
import { EnvVar } from '../../constants.js';
import { optionalEnv } from './environment.js';

/*
 * Apart from ./environment.ts, which every worker imports, for the reason ./repository-lock.ts gives: only the
 * cache-repository and prepopulate workers claim alert-once records, so only their bundles carry those DynamoDB
 * commands.
 */

let alertOnce: AlertOnce | undefined;

/** Cache health's alert-once records on the state table (EnvVar.StateTable); undefined when the variable is not set. */
const alertOnceFromEnvironment = (): AlertOnce | undefined => {
  const tableName = optionalEnv(EnvVar.StateTable);
  if (tableName === undefined) return undefined;
  alertOnce ??= createDynamoDbAlertOnce({ tableName });
  return alertOnce;
};

export { alertOnceFromEnvironment };
