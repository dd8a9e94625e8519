import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** The last successful warm of one cache repository tag. */
type WarmState = { digest: string; warmedAt: string };

/** Where the prepopulate worker remembers what it warmed; an interface so tests and the CLI can use another store. */
type WarmStateStore = {
  getLastWarmed(repository: string, tag: string): Promise<WarmState | undefined>;
  putLastWarmed(repository: string, tag: string, state: WarmState): Promise<void>;
};

type DynamoDbWarmStateStoreOptions = { tableName: string; client?: DynamoDBClient };

/** Item id of one tag's state; the table's hash key is `id` (the same layout as the idempotency table). */
const warmStateId = (repository: string, tag: string): string => `prepopulate#${repository}:${tag}`;

const isWarmState = (item: Record<string, unknown> | undefined): item is Record<string, unknown> & WarmState =>
  typeof item?.['digest'] === 'string' && typeof item['warmedAt'] === 'string';

const createDynamoDbWarmStateStore = ({ tableName, client = new DynamoDBClient({}) }: DynamoDbWarmStateStoreOptions): WarmStateStore => {
  const documents = DynamoDBDocumentClient.from(client);
  return {
    async getLastWarmed(repository, tag) {
      // Strongly consistent: a warm that just finished must be seen by the next message for the same tag.
      const response = await documents.send(new GetCommand({ TableName: tableName, Key: { id: warmStateId(repository, tag) }, ConsistentRead: true }));
      return isWarmState(response.Item) ? { digest: response.Item.digest, warmedAt: response.Item.warmedAt } : undefined;
    },
    async putLastWarmed(repository, tag, state) {
      await documents.send(
        new PutCommand({ TableName: tableName, Item: { id: warmStateId(repository, tag), repository, tag, digest: state.digest, warmedAt: state.warmedAt } }),
      );
    },
  };
};

export { createDynamoDbWarmStateStore, warmStateId };
export type { DynamoDbWarmStateStoreOptions, WarmState, WarmStateStore };
