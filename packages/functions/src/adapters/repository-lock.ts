import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Mutual exclusion per repository between Dockmaster's own workers (several Lambda invocations at once, the
 * sweep and events). It does not stop people or other tools: the cache-repository worker also re-reads
 * before and after each policy write for those (see cache-repository/write-policy.ts).
 */
type RepositoryLock = {
  /**
   * Runs `work` while holding the lease on `key`. Throws RepositoryBusyError when another holder keeps it
   * beyond the bounded wait; the caller then fails the record so that SQS retries it later.
   */
  withLease<T>(key: string, work: () => Promise<T>): Promise<T>;
};

type DynamoDbRepositoryLockOptions = {
  /** Dockmaster's state table (hash key `id`, TTL attribute `expiration`). */
  tableName: string;
  client?: DynamoDBClient;
  /** How long a lease lasts unless released; an abandoned lease (crashed holder) is taken over after it. */
  leaseSeconds?: number;
  /** Pauses between attempts while another worker holds the lease; their sum bounds the wait. */
  retryDelaysMs?: readonly number[];
  /** Waits between attempts; replaceable so that tests can decide when "time" has passed. */
  pause?: (milliseconds: number) => Promise<void>;
  /** The clock lease expiry is measured with (epoch milliseconds). */
  now?: () => number;
};

/**
 * The cache-repository worker's Lambda timeout: a holder cannot still be working after it, so a lease of
 * that length never expires under a live holder, and a crashed holder blocks the repository at most that long.
 */
// A literal, not workerTimeoutSeconds(...): a top-level call keeps this module (and its DynamoDB commands) in
// every worker's bundle. repository-lock.test.ts checks that it equals the topology's timeout.
const DEFAULT_LEASE_SECONDS = 300;

/**
 * About 5 s in all: configuring one repository takes a handful of ECR calls, so a live holder is done well
 * within it, while ten records of a batch waiting in turn still fit the function timeout.
 */
const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [50, 100, 200, 400, 800, 1200, 1200, 1200];

/** The lease could not be had within the bounded wait: another worker is configuring the repository. */
class RepositoryBusyError extends Error {
  public readonly key: string;

  public constructor(key: string, waitedMs: number, holder: string | undefined) {
    super(
      `another Dockmaster worker holds the lease on ${key}${holder === undefined ? '' : ` (holder ${holder})`} after ${waitedMs} ms of waiting; ` +
        'the record is retried after the queue visibility timeout, by when the holder is done',
    );
    this.name = 'RepositoryBusyError';
    this.key = key;
  }
}

const leaseId = (key: string): string => `lease#${key}`;

/** Node's own promise timer, the one sleep every package uses. */
const defaultPause = async (milliseconds: number): Promise<void> => delay(milliseconds);

/**
 * A lease per key in DynamoDB: a conditional PutItem that only succeeds when no live lease exists, released
 * by a conditional DeleteItem that only removes the caller's own lease. Chosen over FIFO queues because
 * EventBridge cannot set a per-event MessageGroupId, and over ECR itself because SetRepositoryPolicy has no
 * condition (no version or ETag) to build optimistic locking on.
 */
const createDynamoDbRepositoryLock = (options: DynamoDbRepositoryLockOptions): RepositoryLock => {
  const { tableName, leaseSeconds = DEFAULT_LEASE_SECONDS, retryDelaysMs = DEFAULT_RETRY_DELAYS_MS, pause = defaultPause, now = Date.now } = options;
  const documents = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}));

  const tryAcquire = async (key: string, holder: string): Promise<boolean> => {
    const at = now();
    const expiresAt = at + leaseSeconds * 1000;
    try {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          // `expiration` (epoch seconds) lets the table's TTL clean up leases nobody released.
          Item: { id: leaseId(key), holder, expiresAt, expiration: Math.ceil(expiresAt / 1000) },
          ConditionExpression: 'attribute_not_exists(id) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  const currentHolder = async (key: string): Promise<string | undefined> => {
    const response = await documents.send(new GetCommand({ TableName: tableName, Key: { id: leaseId(key) }, ConsistentRead: true }));
    const holder = response.Item?.['holder'];
    return typeof holder === 'string' ? holder : undefined;
  };

  const release = async (key: string, holder: string): Promise<void> => {
    try {
      await documents.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { id: leaseId(key) },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch {
      // Not ours any more (it expired and was taken over) or DynamoDB failed: either way the lease expires
      // by itself, and failing the finished work over its release would only redo that work.
    }
  };

  return {
    async withLease(key, work) {
      const holder = randomUUID();
      let waitedMs = 0;
      for (let attempt = 0; !(await tryAcquire(key, holder)); attempt += 1) {
        const delay = retryDelaysMs[attempt];
        if (delay === undefined) throw new RepositoryBusyError(key, waitedMs, await currentHolder(key));
        await pause(delay);
        waitedMs += delay;
      }
      try {
        return await work();
      } finally {
        await release(key, holder);
      }
    },
  };
};

export { createDynamoDbRepositoryLock, DEFAULT_LEASE_SECONDS, DEFAULT_RETRY_DELAYS_MS, leaseId, RepositoryBusyError };
export { unlockedRepositories } from './unlocked-repositories.js';
export type { DynamoDbRepositoryLockOptions, RepositoryLock };
