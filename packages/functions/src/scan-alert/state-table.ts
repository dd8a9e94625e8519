/**
 * The state table's environment variable. Read here until the shared EnvVar (../constants.ts) lists it;
 * the same name prepopulate's state store uses.
 */
const STATE_TABLE_ENV = 'DOCKMASTER_STATE_TABLE';

const requireStateTable = (): string => {
  const value = process.env[STATE_TABLE_ENV];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Environment variable ${STATE_TABLE_ENV} is not set; the scan-alert worker's infra definition must set it`);
  }
  return value;
};

export { requireStateTable, STATE_TABLE_ENV };
