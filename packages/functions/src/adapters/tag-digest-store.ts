import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The first digest Dockmaster saw under each immutable tag, for tag policies whose immutability ECR cannot
 * express: a push event names only the new digest, so what the tag named before has to be remembered.
 */
type TagDigestStore = {
  /** Records `digest` as the tag's first digest unless one is recorded already; returns the recorded one. */
  firstDigest(repository: string, tag: string, digest: string): Promise<string>;
};

/** Item id on the state table (hash key `id`, as the other workers' state). */
const tagDigestId = (repository: string, tag: string): string => `tag-immutability#${repository}:${tag}`;

const createDynamoDbTagDigestStore = ({ tableName, client = new DynamoDBClient({}) }: { tableName: string; client?: DynamoDBClient }): TagDigestStore => {
  const documents = DynamoDBDocumentClient.from(client);
  return {
    async firstDigest(repository, tag, digest) {
      const id = tagDigestId(repository, tag);
      try {
        // Put only if absent: two events for one tag racing in parallel invocations agree on one first digest.
        await documents.send(
          new PutCommand({ TableName: tableName, Item: { id, repository, tag, digest, firstSeenAt: new Date().toISOString() }, ConditionExpression: 'attribute_not_exists(id)' }),
        );
        return digest;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const response = await documents.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }));
      const recorded = response.Item?.['digest'];
      if (typeof recorded !== 'string') throw new Error(`internal: the state item ${id} has no digest`);
      return recorded;
    },
  };
};

export { createDynamoDbTagDigestStore, tagDigestId };
export type { TagDigestStore };
