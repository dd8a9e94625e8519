/** Automation ids: the names used in the topology, the infra, the local stack, logs and the CLI. */
const AutomationId = {
  TagPolicy: 'tag-policy',
  CacheRepository: 'cache-repository',
  Prepopulate: 'prepopulate',
  ScanAlert: 'scan-alert',
  Replication: 'replication',
} as const;
type AutomationId = (typeof AutomationId)[keyof typeof AutomationId];

const AUTOMATION_IDS: readonly AutomationId[] = Object.values(AutomationId);

/** ECR's finding severities, lowest first (UNDEFINED is ECR's "no rating"; it never alerts). */
const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
type Severity = (typeof SEVERITIES)[number];

/** The `source` of the events Dockmaster emits on its own bus. */
const DOCKMASTER_EVENT_SOURCE = 'dockmaster';

/** Detail types of the events Dockmaster emits on its own bus. */
const DockmasterEventType = {
  TagPolicyViolation: 'Tag Policy Violation',
  CacheRepositoryConfigured: 'Cache Repository Configured',
  CacheRepositoryDriftRepaired: 'Cache Repository Drift Repaired',
  ImagePrepopulated: 'Image Prepopulated',
  ImagePrepopulationFailed: 'Image Prepopulation Failed',
  ScanAlert: 'Scan Alert',
  ScanAlertResolved: 'Scan Alert Resolved',
  ScanningSilent: 'Scanning Silent',
  ReplicationFailed: 'Replication Failed',
} as const;
type DockmasterEventType = (typeof DockmasterEventType)[keyof typeof DockmasterEventType];

export { AUTOMATION_IDS, AutomationId, DOCKMASTER_EVENT_SOURCE, DockmasterEventType, SEVERITIES };
export type { Severity };
