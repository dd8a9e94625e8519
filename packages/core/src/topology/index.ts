export { accountRootArn, ecrRepositoryArn, formatArn, PARTITIONS, partitionOf, regionalArn, ssmParameterArn } from './arn.js';
export type { ArnParts, Partition, RegistryLocation } from './arn.js';
export { actionsOf, callActions, COMMON_CALLS, IMPLIED_CALLS, SDK_CLIENTS, TABLE_ITEM_ACTIONS, WORKER_CALLS, workerCalls } from './worker-calls.js';
export type { AwsCall, SdkClient, WorkerCalls } from './worker-calls.js';
export { CACHE_REPOSITORY_RECONCILE_SCHEDULE } from './automations/cache-repository.js';
export { SCAN_ALERT_WATCHDOG_SCHEDULE, severitiesAtOrAbove } from './automations/scan-alert.js';
export { buildTopology } from './build-topology.js';
export { DEFAULT_BUS_NAME, DEFAULT_CONFIG_PARAMETER_NAME, MAX_EVENT_PATTERN_LENGTH, MIN_MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_FACTOR, WORKER_RUNTIME, workerHandler, workerTimeoutSeconds } from './limits.js';
export { BUNDLE_MAIN_FIELDS, WORKER_NODEJS } from './worker-bundle.js';
export type { WorkerNodejsSettings } from './worker-bundle.js';
export { routeAlertDestinations, routeEvent, routeTeamAlert } from './route-event.js';
export { eventPatternLength } from './rule-packing.js';
export { TEAM_ALERT_EVENT_TYPES, TEAM_ALERT_INPUT_TRANSFORMER } from './team-alerts.js';
export { CHAT_INPUT_TRANSFORMER, PAGERDUTY_EVENT_TYPES, PAGERDUTY_INPUT_PATH } from './alert-destinations.js';
export { queueNames } from './queue-names.js';
export type { QueueNames } from './queue-names.js';
export { globToIamWildcards } from './wildcard.js';
export {
  deadLetterQueueUrlFrom,
  deadLetterQueueUrlMap,
  LOCAL_ONLY_WORKER_VARIABLES,
  upstreamEndpointFrom,
  upstreamEndpointsValue,
  WORKER_ENVIRONMENT,
} from './worker-environment.js';
export type { DeployedWorkerVariable, WorkerEnvironment, WorkerVariable } from './worker-environment.js';
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
} from './types.js';
