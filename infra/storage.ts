import { CONFIG_ITEM_ID } from '@dockmaster/core/config';
import { configParameterName, deployConfig } from './config';

/*
 * The configuration at run time (docs/architecture.md, "Configuration at run time"): the content in the one
 * item of the config table (DynamoDB items hold 400 KB; CONFIG_MAX_BYTES is 256 KiB), and in the SSM parameter
 * a small marker naming it (sha256, bytes). Workers read the item (GetItem on this table only) through
 * Powertools Parameters with a 60-second cache; writing the marker emits the `Parameter Store Change` that
 * starts prepopulate and makes the workers read the item past their cache.
 */

/** One item, `id` = CONFIG_ITEM_ID, the configuration in `value`. No TTL: it lives as long as the stage. */
const configTable = new sst.aws.Dynamo('Config', {
  fields: { id: 'string' },
  primaryIndex: { hashKey: 'id' },
});

const configItem = new aws.dynamodb.TableItem('DockmasterConfigItem', {
  tableName: configTable.name,
  hashKey: 'id',
  item: JSON.stringify({ id: { S: CONFIG_ITEM_ID }, value: { S: deployConfig.storedValue } }),
});

/**
 * The marker parameter, written after the content it names (so a worker that reads the item on the change
 * event finds the new content) and after every rule and its target (so the prepopulate rule sees even the
 * first `Create`). Always a Standard parameter (the marker is under 100 bytes): the tier never changes, so the
 * fixed name is never replaced. A stage deployed before, whose parameter held the configuration in the Advanced
 * tier, gets it replaced once: deleteBeforeReplace, because a fixed name cannot exist twice.
 */
const createConfigMarker = (after: $util.Input<$util.Resource>[]) =>
  new aws.ssm.Parameter(
    'DockmasterConfig',
    {
      name: configParameterName,
      description: `Dockmaster configuration marker (from ${deployConfig.file}); the content is in the config table`,
      type: 'String',
      tier: 'Standard',
      value: deployConfig.markerValue,
    },
    { dependsOn: [configItem, ...after], deleteBeforeReplace: true },
  );

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

export { configItem, configTable, createConfigMarker, idempotencyTable, stateTable };
