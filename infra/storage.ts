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

export { configParameter, idempotencyTable };
