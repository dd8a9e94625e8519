import type { SQSRecord } from 'aws-lambda';
import { AwsDetailType, EventSource } from '@dockmaster/core/events/vocabulary';
import { isRecord } from '@dockmaster/core/shared';

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
  return isRecord(body) && body.source === EventSource.Ssm && body['detail-type'] === AwsDetailType.ParameterStoreChange;
};

export { isConfigChangeRecord };
