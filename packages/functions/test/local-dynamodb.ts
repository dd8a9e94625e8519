import type { AddressInfo } from 'node:net';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, vi } from 'vitest';

type LocalDynamoDB = { client: DynamoDBClient; createIdempotencyTable: (name: string) => Promise<string>; close: () => Promise<void> };

/** Starts dynalite (a real DynamoDB-compatible server, in memory) on a free port, for idempotency persistence. */
const startLocalDynamoDB = async (): Promise<LocalDynamoDB> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    // Powertools' default table layout: hash key `id`, TTL attribute `expiration` (TTL is not needed in tests).
    createIdempotencyTable: async (name) => {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      return name;
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
};

/** dynalite with the worker's idempotency table, for the tests of one file; read it inside tests and hooks. */
type WorkerDynamoDB = {
  readonly dynamo: LocalDynamoDB;
  readonly idempotencyTable: string;
  /** The worker's `persistenceStore`: Powertools idempotency on that table. */
  persistenceStore: () => DynamoDBPersistenceLayer;
};

/**
 * Starts dynalite and creates the idempotency table before the file's tests (with Powertools metrics disabled,
 * so that no EMF lines are printed), and stops it after them.
 */
const useWorkerDynamoDB = (idempotencyTableName: string): WorkerDynamoDB => {
  let started: { dynamo: LocalDynamoDB; idempotencyTable: string } | undefined;
  const get = () => {
    if (started === undefined) throw new Error('dynalite is not started yet: use it inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const dynamo = await startLocalDynamoDB();
    started = { dynamo, idempotencyTable: await dynamo.createIdempotencyTable(idempotencyTableName) };
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await started?.dynamo.close();
  });
  return {
    get dynamo() {
      return get().dynamo;
    },
    get idempotencyTable() {
      return get().idempotencyTable;
    },
    persistenceStore: () => new DynamoDBPersistenceLayer({ tableName: get().idempotencyTable, awsSdkV3Client: get().dynamo.client }),
  };
};

export { startLocalDynamoDB, useWorkerDynamoDB };
export type { LocalDynamoDB, WorkerDynamoDB };
