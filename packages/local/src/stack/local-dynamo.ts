import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AttributeValue, CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { stopOnce } from '../shared/stop-server.js';

/** dynalite ships no types; this is the one factory the stack calls. */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

interface RunningDynamo {
  /** `http://127.0.0.1:<port>`: AWS_ENDPOINT_URL_DYNAMODB for the workers. */
  url: string;
  stop(): Promise<void>;
}

/**
 * dynalite in-process (a DynamoDB implementation on LevelDB, in memory), with each table created the way the
 * infra declares it: partition key `id` (string). Tables are ACTIVE at once (`createTableMs: 0`). `items` are
 * written once the tables exist (the configuration item).
 */
const startLocalDynamo = async (
  tables: readonly string[],
  region: string,
  port = 0,
  items: readonly { table: string; item: Record<string, AttributeValue> }[] = [],
): Promise<RunningDynamo> => {
  // createRequire: dynalite is CommonJS without types; a typed require keeps its type local to this file.
  const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint: url, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await Promise.all(
      tables.map((name) =>
        client.send(
          new CreateTableCommand({
            TableName: name,
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        ),
      ),
    );
    for (const { table, item } of items) await client.send(new PutItemCommand({ TableName: table, Item: item }));
  } finally {
    client.destroy();
  }
  return {
    url,
    stop: stopOnce(server),
  };
};

export { startLocalDynamo };
export type { RunningDynamo };
