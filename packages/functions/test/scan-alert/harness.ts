import { randomUUID } from 'node:crypto';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DockmasterConfig } from '@dockmaster/core/config';
import type { SQSRecord } from 'aws-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { createEcrImages } from '../../src/adapters/ecr-images.js';
import { createScanFindingsReader } from '../../src/adapters/scan-findings.js';
import { createDockmasterBus } from '../../src/adapters/dockmaster-bus.js';
import { createScanAlertHandler } from '../../src/handlers/scan-alert.js';
import { createDynamoDbScanAlertStore } from '../../src/adapters/dynamodb-scan-alert-store.js';
import { createPushActivityReader } from '../../src/adapters/push-activity.js';
import { lambdaContextFactory, sqsEventFactory, sqsRecordFactory } from '../factories.js';
import { recordingPausedQueue } from '../kept-while-paused.js';
import type { WorkerDynamoDB } from '../local-dynamodb.js';
import { emittedEvents as emittedEventsOf, type EmittedEvent as EmittedEventOf } from '../put-events.js';
import { silentTelemetry } from '../telemetry.js';

/** The details the scan-alert worker emits all carry a rendered message. */
type AlertDetail = Record<string, unknown> & { message: { subject: string; body: string } };
type EmittedEvent = EmittedEventOf<AlertDetail>;

const REGION = 'eu-central-1';

/** The real worker on real adapters: ECR and EventBridge through the mocked SDK clients, DynamoDB on dynalite. */
const createHandler = (options: {
  db: WorkerDynamoDB;
  stateTable: string;
  config: DockmasterConfig;
  now: Date;
}) => {
  const pausedRecords = recordingPausedQueue();
  const { logger, metrics } = silentTelemetry('scan-alert');
  const ecr = new ECRClient({ region: REGION });
  const handler = createScanAlertHandler({
    loadConfig: async () => options.config,
    persistenceStore: options.db.persistenceStore(),
    clock: () => options.now,
    logger,
    metrics,
    findings: createScanFindingsReader({ client: ecr }),
    images: createEcrImages({ client: ecr }),
    bus: createDockmasterBus({ busName: 'dockmaster-test', client: new EventBridgeClient({ region: REGION }) }),
    store: createDynamoDbScanAlertStore({ tableName: options.stateTable, client: options.db.dynamo.client }),
    pushes: createPushActivityReader({ client: ecr }),
    pausedRecords,
  });
  const invoke = (records: SQSRecord[]) => handler(sqsEventFactory(records), lambdaContextFactory({ functionName: 'dockmaster-scan-alert' }));
  /** Delivers the event (or raw body) as one SQS message, with a fresh message id as SQS would. */
  const deliver = (event: unknown) => invoke([sqsRecordFactory(event, { messageId: randomUUID() })]);
  return { handler, invoke, deliver, logger, pausedRecords };
};

/** Every entry PutEvents accepted, in order, with Detail parsed. */
const emittedEvents = (eventBridgeMock: AwsClientStub<EventBridgeClient>): EmittedEvent[] => emittedEventsOf<AlertDetail>(eventBridgeMock);

export { createHandler, emittedEvents, REGION };
export type { EmittedEvent };
