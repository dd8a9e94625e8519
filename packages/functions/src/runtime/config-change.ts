import type { SQSRecord } from 'aws-lambda';
import { isRecord } from '@dockmaster/core/shared';

/** What SSM puts on EventBridge when a parameter is created, updated or deleted (prepopulate's config-change rule). */
const PARAMETER_STORE_CHANGE = { source: 'aws.ssm', detailType: 'Parameter Store Change' } as const;

/**
 * Whether a record announces a change of the configuration: its body is a `Parameter Store Change` event.
 * Read from the raw body, before the batch is parsed, because the batch handler loads the configuration
 * first; a body that is not JSON is no change (the parser reports it as an invalid event).
 */
const isConfigChangeRecord = (record: Pick<SQSRecord, 'body'>): boolean => {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    return false;
  }
  return isRecord(body) && body.source === PARAMETER_STORE_CHANGE.source && body['detail-type'] === PARAMETER_STORE_CHANGE.detailType;
};

export { isConfigChangeRecord, PARAMETER_STORE_CHANGE };
