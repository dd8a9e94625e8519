import type { AutomationId } from '../constants.js';

/*
 * What each worker calls, as data: every IAM action a worker's role holds is derived from here (actionsOf),
 * and test/topology/worker-calls.test.ts checks the list against the handlers as SST bundles them, both ways:
 * a command the bundled code sends that is not listed, or a listed command it never sends, fails the test.
 *
 * A call is written `<client>:<Command>`:
 * - an SDK command of `@aws-sdk/client-<client>`: the class `<Command>Command` or the paginator
 *   `paginate<Command>` (`dynamodb-doc:` is `@aws-sdk/lib-dynamodb`, whose `GetCommand` is DynamoDB's GetItem);
 * - `inspector2:` calls ECR makes with the caller's permissions (IMPLIED_CALLS);
 * - `registry:` operations of the OCI registry API (HTTP, authorised as ECR actions);
 * - `powertools:` Powertools utilities that call AWS themselves (idempotency, parameters).
 * Calls are grouped by the Sid of the statement that grants them; the automation builders give each statement
 * its resources.
 */

/** The SDK clients Dockmaster uses, by the name after `@aws-sdk/client-` (or `dynamodb-doc`), with their IAM service prefix. */
const SDK_CLIENTS = {
  ecr: 'ecr',
  eventbridge: 'events',
  sqs: 'sqs',
  dynamodb: 'dynamodb',
  'dynamodb-doc': 'dynamodb',
  'secrets-manager': 'secretsmanager',
  ssm: 'ssm',
  inspector2: 'inspector2',
} as const;
type SdkClient = keyof typeof SDK_CLIENTS;

type AwsCall = `${SdkClient}:${string}` | `registry:${string}` | `powertools:${string}`;

/** What a statement of the worker's role is for: its calls, by Sid. */
type WorkerCalls = Readonly<Record<string, readonly AwsCall[]>>;

/** The four item actions of a table; Powertools idempotency uses all of them (get, put-if-absent, update, delete). */
const TABLE_ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * Calls whose IAM actions are not simply `<service prefix>:<Command>`. Registry operations: ECR authorises
 * the OCI API per operation (ECR User Guide, "Registry authentication" and "Pushing an image": manifest
 * reads are BatchGetImage, blob reads GetDownloadUrlForLayer, blob HEADs BatchCheckLayerAvailability; a
 * first pull through a pull-through cache rule needs BatchImportUpstreamImage and CreateRepository).
 */
const CALL_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // SendMessageBatch is authorised by sqs:SendMessage; there is no action of its own.
  'sqs:SendMessageBatch': ['sqs:SendMessage'],
  'dynamodb-doc:Get': ['dynamodb:GetItem'],
  'dynamodb-doc:Put': ['dynamodb:PutItem'],
  'dynamodb-doc:Update': ['dynamodb:UpdateItem'],
  'dynamodb-doc:Delete': ['dynamodb:DeleteItem'],
  'registry:pull': ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
  'registry:pull-through-cache': ['ecr:BatchImportUpstreamImage', 'ecr:CreateRepository'],
  'registry:push': ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'],
  'powertools:idempotency': TABLE_ITEM_ACTIONS,
  'powertools:parameters-ssm': ['ssm:GetParameter'],
  'powertools:parameters-dynamodb': ['dynamodb:GetItem'],
  'powertools:parameters-secrets': ['secretsmanager:GetSecretValue'],
};

/**
 * Calls ECR makes on the caller's behalf, which the caller must be allowed: DescribeImageScanFindings of an
 * image under enhanced scanning reads Amazon Inspector (ECR User Guide, "IAM permissions required for enhanced
 * scanning": inspector2:ListFindings and ListCoverage, which have no resource-level permissions).
 */
const IMPLIED_CALLS: Readonly<Record<string, readonly AwsCall[]>> = {
  'ecr:DescribeImageScanFindings': ['inspector2:ListFindings', 'inspector2:ListCoverage'],
};

/** What every worker calls: the configuration (Powertools parameters), the bus, its own DLQ, idempotency records. */
const COMMON_CALLS = {
  ReadConfiguration: ['powertools:parameters-ssm'],
  // The configuration's content, one DynamoDB item read through Powertools' DynamoDBProvider.
  ReadConfigurationContent: ['powertools:parameters-dynamodb'],
  // A paused worker sends each event back to its own queue, delayed (the queue URL is looked up by name).
  KeepEventsWhilePaused: ['sqs:GetQueueUrl', 'sqs:SendMessage'],
  PutDockmasterEvents: ['eventbridge:PutEvents'],
  SendToOwnDeadLetterQueue: ['sqs:SendMessage'],
  IdempotencyRecords: ['powertools:idempotency'],
} as const satisfies WorkerCalls;

/** Each worker's own calls. A new SDK command in a worker's code goes here, in the statement that should grant it. */
const WORKER_CALLS = {
  'tag-policy': {
    ReadPushedImages: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    // Enforce mode re-checks which image the tag names (DescribeImages) right before removing it.
    RemoveOffendingTags: ['ecr:DescribeImages', 'ecr:BatchDeleteImage'],
    // A policy's tagImmutability compiled into ECR: read and repaired on covered repositories (tag-immutability.ts).
    KeepTagMutability: ['ecr:DescribeRepositories', 'ecr:PutImageTagMutability'],
    // The tag-mutability sweep pages through every repository and keeps those a policy covers.
    ListRepositories: ['ecr:DescribeRepositories'],
    // The first digest per immutable tag, for policies whose immutability is checked on the push event.
    StateRecords: ['dynamodb-doc:Get', 'dynamodb-doc:Put'],
  },
  'cache-repository': {
    ConfigureCacheRepositories: [
      'ecr:DescribeRepositories',
      'ecr:GetRepositoryPolicy',
      'ecr:SetRepositoryPolicy',
      'ecr:DeleteRepositoryPolicy',
      'ecr:GetLifecyclePolicy',
      'ecr:PutLifecyclePolicy',
      'ecr:PutImageTagMutability',
      'ecr:PutImageScanningConfiguration',
    ],
    ListRepositories: ['ecr:DescribeRepositories'],
    // The per-repository lease; cache health's alert-once records.
    StateRecords: ['dynamodb-doc:Get', 'dynamodb-doc:Put', 'dynamodb-doc:Delete'],
  },
  prepopulate: {
    // A warm pulls through the cache, then checks that ECR lists the digest it pulled (DescribeImages).
    PullThroughCache: ['registry:pull', 'registry:pull-through-cache', 'ecr:DescribeImages'],
    // A copy creates a missing repository, reads the upstream and pushes.
    CopyIntoRepositories: ['ecr:DescribeRepositories', 'ecr:CreateRepository', 'registry:pull', 'registry:push'],
    ReadUpstreamCredentials: ['powertools:parameters-secrets'],
    // An allow-listed image ECR archived: its storage class and tags re-read, then restored.
    RestoreArchivedImages: ['ecr:DescribeImages', 'ecr:UpdateImageStorageClass'],
    RegistryLogin: ['ecr:GetAuthorizationToken'],
    // The last warmed digest per tag; cache health's alert-once records (claimed, released when the alert could not be sent).
    StateRecords: ['dynamodb-doc:Get', 'dynamodb-doc:Put', 'dynamodb-doc:Delete'],
    FanOutToOwnQueue: ['sqs:SendMessageBatch'],
  },
  'scan-alert': {
    ReadFindings: ['ecr:DescribeImageScanFindings', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    ReadEnhancedFindings: IMPLIED_CALLS['ecr:DescribeImageScanFindings'] ?? [],
    ListRepositories: ['ecr:DescribeRepositories'],
    // Alerted findings per image, last scan per repository, watchdog periods.
    StateRecords: ['dynamodb-doc:Get', 'dynamodb-doc:Put', 'dynamodb-doc:Update'],
  },
  replication: {},
} as const satisfies Record<AutomationId, WorkerCalls>;

/** A call's IAM actions: `<service prefix>:<Command>` unless CALL_ACTIONS says otherwise. */
const callActions = (call: AwsCall): readonly string[] => {
  const special = CALL_ACTIONS[call];
  if (special !== undefined) return special;
  const [client, command] = call.split(':') as [string, string];
  const service = (SDK_CLIENTS as Record<string, string>)[client];
  if (service === undefined) throw new Error(`internal: no IAM actions known for the call ${call}`);
  return [`${service}:${command}`];
};

/** The IAM actions of the calls, each once, in order. */
const actionsOf = (calls: readonly AwsCall[]): string[] => [...new Set(calls.flatMap(callActions))];

/** Every call of a worker (its own and the common ones), by Sid. */
const workerCalls = (id: AutomationId): WorkerCalls => ({ ...COMMON_CALLS, ...WORKER_CALLS[id] });

export { actionsOf, callActions, COMMON_CALLS, IMPLIED_CALLS, SDK_CLIENTS, TABLE_ITEM_ACTIONS, WORKER_CALLS, workerCalls };
export type { AwsCall, SdkClient, WorkerCalls };
