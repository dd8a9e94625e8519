import type { DockmasterConfig } from '../config/index.js';
import { UserFacingError } from '../errors.js';
import { partitionOf, ssmParameterArn } from './arn.js';
import type { AutomationContext } from './automations/automation.js';
import { cacheRepositoryAutomation } from './automations/cache-repository.js';
import { prepopulateAutomation } from './automations/prepopulate.js';
import { replicationAutomation } from './automations/replication.js';
import { scanAlertAutomation } from './automations/scan-alert.js';
import { tagPolicyAutomation } from './automations/tag-policy.js';
import { DEFAULT_BUS_NAME, DEFAULT_CONFIG_PARAMETER_NAME } from './limits.js';
import { alarmTarget } from './alarms.js';
import { alertDestinations } from './alert-destinations.js';
import { queueNames } from './queue-names.js';
import { teamAlertRoutes } from './team-alerts.js';
import type { AutomationSpec, Topology, TopologyOptions } from './types.js';
import { grantCalls } from './iam.js';
import { WORKER_ENVIRONMENT } from './worker-environment.js';

/** In the order of AUTOMATION_IDS. */
const AUTOMATION_BUILDERS = [
  tagPolicyAutomation,
  cacheRepositoryAutomation,
  prepopulateAutomation,
  scanAlertAutomation,
  replicationAutomation,
] as const;

/** Every worker loads the configuration from the parameter on cold start. */
const withConfigRead = (automation: AutomationSpec, configParameterArn: string): AutomationSpec => {
  return { ...automation, permissions: [...grantCalls(automation.id, 'ReadConfiguration', [configParameterArn]), ...automation.permissions] };
};

const assertUniqueRuleNames = (topology: Topology): void => {
  const names = [
    ...topology.automations.flatMap((automation) => automation.rules.map((rule) => rule.name)),
    ...topology.alertDestinations.flatMap((destination) => (destination.feed.kind === 'bus-rule' ? [destination.feed.rule.name] : [])),
  ];
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new Error(`internal: rule name "${duplicate}" is used twice in the topology`);
};

/**
 * Which events reach which worker, how each worker's queue and function are sized, and what each may do,
 * derived from a validated configuration. Plain data: the SST infra, the local stack and the tests read it.
 */
const buildTopology = (config: DockmasterConfig, options: TopologyOptions = {}): Topology => {
  const configParameterName = options.configParameterName ?? DEFAULT_CONFIG_PARAMETER_NAME;
  if (configParameterName.trim() === '') {
    throw new UserFacingError('CONFIG_PARAMETER_NAME_EMPTY', 'The configuration parameter name is empty; pass the SSM parameter name, for example "/dockmaster/prod/config".');
  }
  const registry = { accountId: config.registry.accountId, region: config.registry.region };
  const busName = options.busName ?? DEFAULT_BUS_NAME;
  const context: AutomationContext = { config, registry, configParameterName };
  const configParameterArn = ssmParameterArn(registry, configParameterName);
  const declared: Omit<Topology, 'alertDestinations'> = {
    registry: { ...registry, partition: partitionOf(registry.region) },
    configParameter: { name: configParameterName, arn: configParameterArn },
    bus: { name: busName },
    workerEnvironment: { ...WORKER_ENVIRONMENT },
    automations: AUTOMATION_BUILDERS.map((build) => withConfigRead(build(context), configParameterArn)),
    teamAlertRoutes: teamAlertRoutes(config),
    alarms: alarmTarget(config, busName),
  };
  const topology: Topology = { ...declared, alertDestinations: alertDestinations(declared) };
  assertUniqueRuleNames(topology);
  // Fails early (a UserFacingError) when the bus name makes a queue name SQS would refuse.
  for (const automation of topology.automations) queueNames(busName, automation.id);
  return topology;
};

export { buildTopology };
