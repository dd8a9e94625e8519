import { configParameterName, deployConfig } from './config';

/** The validated configuration; workers read it on cold start (DOCKMASTER_CONFIG_PARAMETER). */
const configParameter = new aws.ssm.Parameter('DockmasterConfig', {
  name: configParameterName,
  description: `Dockmaster configuration (from ${deployConfig.file})`,
  type: 'String',
  tier: deployConfig.parameterTier,
  value: deployConfig.parameterValue,
});

/** Powertools idempotency records: partition key `id`, TTL attribute `expiration` (Powertools defaults). */
const idempotencyTable = new sst.aws.Dynamo('Idempotency', {
  fields: { id: 'string' },
  primaryIndex: { hashKey: 'id' },
  ttl: 'expiration',
});

/**
 * The workers' own records (DOCKMASTER_STATE_TABLE): prepopulate's last warmed digests, scan-alert's alerted
 * findings and watchdog periods, cache-repository's per-repository leases. Item ids carry an automation prefix
 * (`prepopulate#...`, `scan-alert#...`, `cache-repository#...`); items with an `expiration` (epoch seconds)
 * are removed by DynamoDB's TTL.
 */
const stateTable = new sst.aws.Dynamo('State', {
  fields: { id: 'string' },
  primaryIndex: { hashKey: 'id' },
  ttl: 'expiration',
});

export { configParameter, idempotencyTable, stateTable };
