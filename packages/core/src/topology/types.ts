import type { AutomationId } from '../constants.js';
import type { Partition } from './arn.js';
import type { DeployedWorkerVariable, WorkerEnvironment } from './worker-environment.js';

/*
 * The topology is plain, JSON-serialisable data: the infra (SST), the local stack and the tests all read
 * the same description of which events reach which worker, with which queue settings and permissions.
 */

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An EventBridge event pattern, as it is sent to PutRule (JSON). */
type EventPattern = { [key: string]: JsonValue };

/** A rule on an event bus that forwards matching events to the automation's queue. */
interface EventRuleSpec {
  kind: 'event';
  /** Unique within the topology; valid as an EventBridge rule name ([.-_A-Za-z0-9], at most 64). */
  name: string;
  description: string;
  eventPattern: EventPattern;
}

/**
 * An EventBridge input transformer: `inputPaths` names values of the event, `inputTemplate` is the text
 * (JSON, or a JSON string literal) the target receives with `<name>` filled in. Scheduled rules keep the
 * `Scheduled Event` envelope and set its `detail`; team alert routes deliver the readable message.
 */
interface InputTransformerSpec {
  inputPaths: Record<string, string>;
  inputTemplate: string;
}

/** A scheduled rule whose event is sent to the automation's queue. */
interface ScheduleRuleSpec {
  kind: 'schedule';
  name: string;
  description: string;
  /** `rate(...)` or `cron(...)`. */
  scheduleExpression: string;
  /** The `detail` the worker receives. */
  detail: { [key: string]: JsonValue };
  inputTransformer: InputTransformerSpec;
}

type RuleSpec = EventRuleSpec | ScheduleRuleSpec;

/** How EventBridge retries delivery to a target before it sends the event to the target's DLQ. */
interface DeliverySpec {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
}

interface QueueSpec {
  /** At least 6x the function timeout plus the batching window (AWS's guidance for SQS event sources). */
  visibilityTimeoutSeconds: number;
  messageRetentionSeconds: number;
  deadLetter: { maxReceiveCount: number; messageRetentionSeconds: number };
}

interface BatchSpec {
  size: number;
  windowSeconds: number;
}

interface FunctionSpec {
  /** Path from the repository root, as SST expects it. */
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  runtime: 'nodejs24.x';
  architecture: 'arm64';
  /** Module format of the bundle SST builds (SST's `nodejs.format`); the cold-start benchmark builds the same. */
  bundleFormat: 'cjs' | 'esm';
}

/** An Allow statement of the worker's role: concrete resource ARNs only. */
interface IamStatement {
  sid: string;
  actions: string[];
  resources: string[];
}

/**
 * Resources the stack itself creates, whose ARNs exist only once deployed: Dockmaster's bus, the
 * DynamoDB tables (configuration, idempotency, state), and the worker's own queue and dead-letter queue. The infra (and the local stack)
 * resolve them; the topology says who may do what with them.
 */
type StackResource = 'bus' | 'config-table' | 'idempotency-table' | 'state-table' | 'own-queue' | 'dead-letter-queue';

/** An Allow statement on one of the stack's own resources. */
interface StackGrant {
  sid: string;
  actions: string[];
  resource: StackResource;
}

interface AutomationSpec {
  id: AutomationId;
  description: string;
  /** Empty when the configuration gives the automation nothing to do. */
  rules: RuleSpec[];
  delivery: DeliverySpec;
  queue: QueueSpec;
  batch: BatchSpec;
  function: FunctionSpec;
  /** Statements on AWS resources outside the stack (ECR repositories, the configuration parameter, secrets). */
  permissions: IamStatement[];
  /** Statements on the stack's own resources (bus, tables, queues), resolved to ARNs by the infra. */
  stackGrants: StackGrant[];
  /** The variables of WORKER_ENVIRONMENT (by key) the infra sets on the worker; never a local-only one. */
  environment: DeployedWorkerVariable[];
  /** Whether the worker deduplicates through the idempotency table. */
  needsIdempotency: boolean;
  /** Whether the worker keeps records in the state table (DOCKMASTER_STATE_TABLE). */
  needsState: boolean;
}

/** Routes Dockmaster's own events for one team to that team's SNS topic. */
interface TeamAlertRouteSpec {
  team: string;
  /** Logical topic name (the infra derives resource names from it). */
  topicName: string;
  emails: string[];
  rule: EventRuleSpec;
  /** Turns the event into the e-mail text: `detail.message.subject`, a blank line, `detail.message.body`. */
  inputTransformer: InputTransformerSpec;
  /** The team's chat channel (config `teams.<team>.chat`), when it has one. */
  chat?: TeamChatSettings;
  /** The team's PagerDuty service (config `teams.<team>.pagerduty`), when it has one. */
  pagerduty?: { routingKeySecret: string; serviceRegion: 'us' | 'eu' };
}

type TeamChatSettings =
  | { slack: { workspaceId: string; channelId: string }; teams?: undefined }
  | { teams: { teamId: string; tenantId: string; channelId: string }; slack?: undefined };

/** Feeds a destination from a rule on Dockmaster's bus; only that rule (events.amazonaws.com) may publish. */
interface BusRuleFeed {
  kind: 'bus-rule';
  /** The topic policy statement's Sid. */
  sid: string;
  rule: EventRuleSpec;
  /** What the target receives: the transformer's output, or (API destinations) the part of the event at `inputPath`. */
  inputTransformer?: InputTransformerSpec;
  inputPath?: string;
}

/** Feeds a destination from CloudWatch alarms; only these alarms (cloudwatch.amazonaws.com) may publish. */
interface AlarmFeed {
  kind: 'alarms';
  sid: string;
  alarmArns: string[];
}

/**
 * One place people are notified (alert-destinations.ts): an SNS topic, its e-mail subscriptions and what
 * feeds it. The infra creates exactly this; the local stack delivers the bus-fed ones.
 */
interface TopicDestinationSpec {
  kind?: 'sns-topic';
  /** Logical name (kebab-case); the infra names the topic, subscriptions and policy after it. */
  name: string;
  team: string;
  /** The topic's physical name when something must name it before it exists (alarm actions); else generated. */
  topicName?: string;
  displayName: string;
  emails: string[];
  feed: BusRuleFeed | AlarmFeed;
  /** A chat channel configuration (Amazon Q Developer in chat applications) subscribed to the topic. */
  chat?: ChatChannelSpec;
}

/**
 * A Slack or Microsoft Teams channel configuration of Amazon Q Developer in chat applications: its name, the
 * channel, the role the service assumes for it (trusted by chatbot.amazonaws.com only, with no permissions: it
 * only relays the topic's notifications) and the guardrail that caps what channel members may run (deny all).
 */
type ChatChannelSpec = { configurationName: string; roleName: string; guardrailPolicyArns: string[] } & (
  | { platform: 'slack'; workspaceId: string; channelId: string }
  | { platform: 'teams'; teamId: string; tenantId: string; channelId: string }
);

/**
 * An EventBridge API destination fed by a rule on Dockmaster's bus (PagerDuty's Events API v2): a connection
 * whose secret body parameter carries the routing key read from `routingKeySecret` at deploy time, the API
 * destination, and a role that lets EventBridge invoke only this API destination.
 */
interface ApiDestinationSpec {
  kind: 'api-destination';
  /** Logical name; also the connection's and API destination's name. */
  name: string;
  team: string;
  feed: BusRuleFeed;
  endpoint: string;
  httpMethod: 'POST';
  invocationRateLimitPerSecond: number;
  /** Name or ARN of the Secrets Manager secret holding the routing key; the key itself is never in the topology. */
  routingKeySecret: string;
  /** The body parameter the connection adds, its value secret (EventBridge stores it in its own managed secret). */
  secretBodyParameter: string;
  /**
   * What EventBridge could not deliver after its retries (24 hours) goes to this queue instead of being dropped;
   * `alarmName` is the CloudWatch alarm on it (messages visible), which notifies operations.alarmTeam like the
   * automations' DLQ alarms.
   */
  deadLetter: { queueName: string; messageRetentionSeconds: number; alarmName: string };
  /** The role EventBridge assumes to invoke the API destination; its one statement names `api-destination/<name>/*`. */
  role: { roleName: string; statements: IamStatement[] };
}

type AlertDestinationSpec = TopicDestinationSpec | ApiDestinationSpec;

interface Topology {
  registry: { accountId: string; region: string; partition: Partition };
  configParameter: { name: string; arn: string };
  /** Dockmaster's own event bus; workers put their events there. */
  bus: { name: string };
  /** Names of the environment variables workers receive (each automation lists the ones it gets). */
  workerEnvironment: WorkerEnvironment;
  automations: AutomationSpec[];
  teamAlertRoutes: TeamAlertRouteSpec[];
  /**
   * Where the DLQ alarms go: the e-mail addresses of `operations.alarmTeam`, on one SNS topic that only these
   * alarms may publish to. Undefined without an alarm team: the alarms then notify nobody (infra warns).
   */
  alarms: { team: string; topicName: string; emails: string[] } | undefined;
  /** Every alert destination, derived from teamAlertRoutes and alarms: what infra/alerts.ts deploys. */
  alertDestinations: AlertDestinationSpec[];
}

interface TopologyOptions {
  /** Name of the SSM parameter that holds the configuration; defaults to `/dockmaster/config`. */
  configParameterName?: string;
  /** Name of Dockmaster's event bus; defaults to `dockmaster`. */
  busName?: string;
}

export type {
  AutomationSpec,
  BatchSpec,
  DeliverySpec,
  EventPattern,
  EventRuleSpec,
  FunctionSpec,
  IamStatement,
  AlarmFeed,
  AlertDestinationSpec,
  ApiDestinationSpec,
  BusRuleFeed,
  ChatChannelSpec,
  TeamChatSettings,
  TopicDestinationSpec,
  InputTransformerSpec,
  JsonValue,
  QueueSpec,
  RuleSpec,
  ScheduleRuleSpec,
  StackGrant,
  StackResource,
  TeamAlertRouteSpec,
  Topology,
  TopologyOptions,
};
