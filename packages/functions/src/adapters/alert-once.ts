import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * "Tell the team once": a record per alert key in Dockmaster's state table, written only when none is live.
 * Powertools idempotency (keyed on the event id) stops a redelivered event; this stops the next event about the
 * same problem (ECR emits one per pull), which carries a new id.
 */
type AlertOnce = {
  /** True when this caller is the first within `ttlSeconds` to claim `key` (and should alert); false otherwise. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Gives a claim back (the alert could not be sent), so that the retry claims and sends it. */
  release(key: string): Promise<void>;
};

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

/** Every claim succeeds: no state table (a worker without DOCKMASTER_STATE_TABLE), so the event id's idempotency is all. */
const alertEveryTime: AlertOnce = { claim: () => Promise.resolve(true), release: () => Promise.resolve() };

export { alertEveryTime, createDynamoDbAlertOnce };
export type { AlertOnce, DynamoDbAlertOnceOptions };
