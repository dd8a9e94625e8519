import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertOnce } from './alert-every-time.js';

type DynamoDbAlertOnceOptions = {
  /** Dockmaster's state table (hash key `id`, TTL attribute `expiration`). */
  tableName: string;
  client?: DynamoDBClient;
  /** Epoch milliseconds; replaceable in tests. */
  now?: () => number;
};

/**
 * A conditional PutItem: it succeeds when no record exists or the one there has expired. DynamoDB's TTL deletes
 * expired items only eventually (within days), so the condition compares `expiration` itself.
 */
const createDynamoDbAlertOnce = ({ tableName, client, now = Date.now }: DynamoDbAlertOnceOptions): AlertOnce => {
  const documents = DynamoDBDocumentClient.from(client ?? new DynamoDBClient({}));
  return {
    async claim(key, ttlSeconds) {
      const nowSeconds = Math.floor(now() / 1000);
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { id: key, alertedAt: new Date(nowSeconds * 1000).toISOString(), expiration: nowSeconds + ttlSeconds },
            ConditionExpression: 'attribute_not_exists(id) OR expiration <= :now',
            ExpressionAttributeValues: { ':now': nowSeconds },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async release(key) {
      await documents.send(new DeleteCommand({ TableName: tableName, Key: { id: key } }));
    },
  };
};

export { createDynamoDbAlertOnce };
export { alertEveryTime } from './alert-every-time.js';
export type { AlertOnce } from './alert-every-time.js';
export type { DynamoDbAlertOnceOptions };
