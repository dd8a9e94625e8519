import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertState } from '@dockmaster/core/scan-alert';
import type { DockmasterEvent } from './dockmaster-bus.js';
import { ConcurrentUpdateError, type ImageRecord, type RepositoryScanRecord, type ScanAlertStore } from './scan-alert-store.js';

/*
 * The scan-alert records in Dockmaster's state table (env DOCKMASTER_STATE_TABLE), next to prepopulate's
 * (adapters/state-store.ts): same layout, hash key `id` with a per-automation prefix. The state and the
 * outbox are stored as JSON text, not as DynamoDB maps, so optional fields need no marshalling options and
 * the state is re-validated with its schema when read (stored data outlives code versions).
 */

type DynamoDbScanAlertStoreOptions = { tableName: string; client?: DynamoDBClient };

const imageId = (repository: string, digest: string): string => `scan-alert#image#${repository}@${digest}`;
const repositoryId = (repository: string): string => `scan-alert#repository#${repository}`;
const WATCHDOG_ID = 'scan-alert#watchdog';
const tagId = (repository: string, tag: string): string => `scan-alert#tag#${repository}:${tag}`;

const parseJson = (text: unknown): unknown => {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** A state this code cannot read counts as none: the image then alerts again, which is better than never. */
const readState = async (text: unknown): Promise<AlertState | null> => {
  // Imported here, not at the worker's load: @dockmaster/core/scan-alert holds zod schemas (docs/sync.md, "Measured").
  const { AlertStateSchema } = await import('@dockmaster/core/scan-alert');
  const parsed = AlertStateSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
};

const readOutbox = (text: unknown): DockmasterEvent[] => {
  const parsed = parseJson(text);
  return Array.isArray(parsed) ? (parsed as DockmasterEvent[]) : [];
};

const readDate = (value: unknown): Date | undefined => {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** A failed condition is an expected outcome for some writes; everything else is a real error. */
const ignoringFailedCondition = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

const createDynamoDbScanAlertStore = ({ tableName, client = new DynamoDBClient({}) }: DynamoDbScanAlertStoreOptions): ScanAlertStore => {
  const documents = DynamoDBDocumentClient.from(client);
  return {
    async getImage(repository, digest): Promise<ImageRecord> {
      // Strongly consistent: the next event for the image must see the state the previous one saved.
      const { Item: item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id: imageId(repository, digest) }, ConsistentRead: true }));
      if (!item) return { state: null, revision: 0, outbox: [] };
      return { state: await readState(item['state']), revision: Number(item['revision'] ?? 0), outbox: readOutbox(item['outbox']) };
    },

    async putImage(repository, digest, record, expectedRevision) {
      const revision = expectedRevision + 1;
      const saved = await ignoringFailedCondition(
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { id: imageId(repository, digest), repository, digest, revision, state: JSON.stringify(record.state), outbox: JSON.stringify(record.outbox) },
            ...(expectedRevision === 0
              ? { ConditionExpression: 'attribute_not_exists(id)' }
              : { ConditionExpression: '#revision = :expected', ExpressionAttributeNames: { '#revision': 'revision' }, ExpressionAttributeValues: { ':expected': expectedRevision } }),
          }),
        ),
      );
      if (!saved) throw new ConcurrentUpdateError(repository, digest);
      return revision;
    },

    async clearOutbox(repository, digest, revision) {
      await ignoringFailedCondition(
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id: imageId(repository, digest) },
            UpdateExpression: 'SET outbox = :empty',
            ConditionExpression: '#revision = :revision',
            ExpressionAttributeNames: { '#revision': 'revision' },
            ExpressionAttributeValues: { ':empty': '[]', ':revision': revision },
          }),
        ),
      );
    },

    async recordScan(repository, at) {
      // ISO-8601 UTC strings order like the instants they name, so the condition compares them as text.
      await ignoringFailedCondition(
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id: repositoryId(repository) },
            UpdateExpression: 'SET lastScanAt = :at, repository = :repository',
            ConditionExpression: 'attribute_not_exists(lastScanAt) OR lastScanAt < :at',
            ExpressionAttributeValues: { ':at': at.toISOString(), ':repository': repository },
          }),
        ),
      );
    },

    async getRepository(repository): Promise<RepositoryScanRecord> {
      const { Item: item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id: repositoryId(repository) }, ConsistentRead: true }));
      const lastScanAt = readDate(item?.['lastScanAt']);
      const silentReportedFor = item?.['silentReportedFor'];
      return {
        ...(lastScanAt ? { lastScanAt } : {}),
        ...(typeof silentReportedFor === 'string' ? { silentReportedFor } : {}),
      };
    },

    async startWatchdog(at) {
      const { Attributes: attributes } = await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: WATCHDOG_ID },
          UpdateExpression: 'SET startedAt = if_not_exists(startedAt, :at)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return readDate(attributes?.['startedAt']) ?? at;
    },

    async getTag(repository, tag) {
      const { Item: item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id: tagId(repository, tag) }, ConsistentRead: true }));
      const at = readDate(item?.['at']);
      const digest = item?.['digest'];
      return typeof digest === 'string' && at ? { digest, at } : undefined;
    },

    async putTag(repository, tag, digest, at) {
      // Scan events arrive out of order: an older result must not move the tag back (ISO-8601 compares as text).
      return ignoringFailedCondition(
        documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { id: tagId(repository, tag), repository, tag, digest, at: at.toISOString() },
            ConditionExpression: 'attribute_not_exists(id) OR #at <= :at',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':at': at.toISOString() },
          }),
        ),
      );
    },

    async markSilentReported(repository, period) {
      await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: repositoryId(repository) },
          UpdateExpression: 'SET silentReportedFor = :period, repository = :repository',
          ExpressionAttributeValues: { ':period': period, ':repository': repository },
        }),
      );
    },
  };
};

export { createDynamoDbScanAlertStore };
export type { DynamoDbScanAlertStoreOptions };
