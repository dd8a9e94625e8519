import { AutomationId, MessageKind, SEVERITIES, type Severity } from '../../constants.js';
import { AwsDetailType, EventSource, InspectorCoverageStatus, InspectorFindingStatus, ScanStatus } from '../../events/vocabulary.js';
import { grantCalls, listRepositories, repositoryArnsForGlobsAndPrefixes } from '../iam.js';
import { scheduleRule } from '../scheduled-event.js';
import type { AutomationSpec, EventRuleSpec, IamStatement, JsonValue, RuleSpec } from '../types.js';
import { type AutomationContext, automationSpec } from './automation.js';

/** arn:<partition>:ecr:<region>:<account>:repository/<name>/sha256:<digest>, as an EventBridge wildcard. */
const ECR_IMAGE_ARN_WILDCARD = 'arn:*:ecr:*:repository/*/sha256:*';

/** Severity counts Inspector2 Scan events carry; lower severities only show up in TOTAL. */
const INSPECTOR_SCAN_COUNT_KEYS: readonly Severity[] = ['MEDIUM', 'HIGH', 'CRITICAL'];

/** Highest first, so the common case (CRITICAL) is the first branch EventBridge evaluates. */
const severitiesAtOrAbove = (minimum: Severity): Severity[] => SEVERITIES.slice(SEVERITIES.indexOf(minimum)).reverse();

/**
 * Matches when any of the count keys is a number > 0. An absent key does not match a numeric filter,
 * which is what we want: ECR only lists severities that have findings. `$or` needs two branches.
 */
const anyCountAboveZero = (keys: readonly string[]): JsonValue => {
  const branches = keys.map((key) => ({ [key]: [{ numeric: ['>', 0] }] }));
  return branches.length === 1 && branches[0] !== undefined ? branches[0] : { $or: branches };
};

const scanAlertRules = (minimum: Severity): EventRuleSpec[] => {
  const severities = severitiesAtOrAbove(minimum);
  const inspectorScanKeys: string[] = severities.filter((severity) => INSPECTOR_SCAN_COUNT_KEYS.includes(severity));
  // Below MEDIUM, Inspector2 Scan only says so through TOTAL (which also counts UNTRIAGED; the worker re-checks).
  if (SEVERITIES.indexOf(minimum) < SEVERITIES.indexOf('MEDIUM')) inspectorScanKeys.push('TOTAL');
  return [
    {
      kind: 'event',
      name: 'scan-alert-basic-scan',
      description: `Dockmaster: completed basic scans with findings at or above ${minimum}`,
      eventPattern: {
        source: [EventSource.Ecr],
        'detail-type': [AwsDetailType.EcrImageScan],
        detail: { 'scan-status': [ScanStatus.Complete], 'finding-severity-counts': anyCountAboveZero(severities) },
      },
    },
    {
      kind: 'event',
      name: 'scan-alert-inspector-finding',
      description: `Dockmaster: Inspector findings at or above ${minimum} on ECR images (opened or closed)`,
      eventPattern: {
        source: [EventSource.Inspector2],
        'detail-type': [AwsDetailType.Inspector2Finding],
        detail: {
          severity: severities,
          status: [InspectorFindingStatus.Active, InspectorFindingStatus.Closed],
          // detail.resources is an array; EventBridge matches when any element has this type.
          resources: { type: ['AWS_ECR_CONTAINER_IMAGE'] },
        },
      },
    },
    {
      kind: 'event',
      name: 'scan-alert-inspector-initial-scan',
      description: `Dockmaster: initial enhanced scans with findings at or above ${minimum}`,
      eventPattern: {
        source: [EventSource.Inspector2],
        'detail-type': [AwsDetailType.Inspector2Scan],
        detail: { 'scan-status': [ScanStatus.InitialScanComplete], 'finding-severity-counts': anyCountAboveZero(inspectorScanKeys) },
      },
    },
    {
      kind: 'event',
      name: 'scan-alert-inspector-coverage',
      description: 'Dockmaster: Inspector stopped scanning an ECR image (coverage INACTIVE): its alerted findings expire',
      eventPattern: {
        source: [EventSource.Inspector2],
        'detail-type': [AwsDetailType.Inspector2Coverage],
        // Coverage events name the resource only in `resources`; an ECR image ARN in any partition
        // (EC2 instances and Lambda functions have coverage events too). No severity: it carries no findings.
        resources: [{ wildcard: ECR_IMAGE_ARN_WILDCARD }],
        detail: { scanStatus: { statusCodeValue: [InspectorCoverageStatus.Inactive] } },
      },
    },
  ];
};

/** The watchdog runs hourly: a silent period is noticed within an hour of crossing `silentAfterHours`. */
const SCAN_ALERT_WATCHDOG_SCHEDULE = 'rate(1 hour)';

/**
 * What the worker reads: findings (DescribeImageScanFindings), push times (DescribeImages) and the OCI
 * source/revision labels for the message (BatchGetImage, then the config blob through the pre-signed URL of
 * GetDownloadUrlForLayer; no S3 permission is needed). Routed repositories and everything under a cache
 * prefix: cached images alert their allow-list owner, and the watchdog watches cache prefixes too.
 */
const readStatements = ({ config, registry }: AutomationContext): IamStatement[] => {
  const routedGlobs = config.scanAlerts?.routes.flatMap((route) => route.repositories) ?? [];
  const prefixes = config.pullThroughCache.map((cache) => cache.prefix);
  const repositories = repositoryArnsForGlobsAndPrefixes(registry, routedGlobs, prefixes);
  return [
    ...grantCalls(AutomationId.ScanAlert, 'ReadFindings', repositories),
    // Under enhanced scanning, DescribeImageScanFindings reads Amazon Inspector with the caller's permissions;
    // without these every Inspector2 Scan record and the watchdog's check would fail into the DLQ. Neither action
    // has resource-level permissions (ECR User Guide, "IAM permissions required for enhanced scanning").
    ...(repositories.length === 0 ? [] : grantCalls(AutomationId.ScanAlert, 'ReadEnhancedFindings', ['*'])),
  ];
};

/**
 * Alerts the owning team about findings at or above the threshold. It reads finding details only for
 * repositories a route or a cache prefix covers: an alert for a repository nobody owns has nobody to go to,
 * so the worker resolves the route before it calls ECR. With `scanAlerts.watchdog`, an hourly schedule runs
 * the watchdog, which lists the registry's repositories.
 */
const scanAlertAutomation = (context: AutomationContext): AutomationSpec => {
  const scanAlerts = context.config.scanAlerts;
  const rules: RuleSpec[] =
    scanAlerts === undefined
      ? []
      : [
          ...scanAlertRules(scanAlerts.minSeverity),
          ...(scanAlerts.watchdog === undefined
            ? []
            : [
                scheduleRule(
                  'scan-alert-watchdog',
                  'Dockmaster: report repositories with pushes but no scan result (scanAlerts.watchdog)',
                  SCAN_ALERT_WATCHDOG_SCHEDULE,
                  { kind: MessageKind.Watchdog },
                ),
              ]),
        ];
  return automationSpec(AutomationId.ScanAlert, {
    description: 'Alerts the owning team about scan findings at or above the configured severity, and when they are resolved.',
    rules,
    permissions:
      scanAlerts === undefined
        ? []
        : [...readStatements(context), ...(scanAlerts.watchdog === undefined ? [] : listRepositories(AutomationId.ScanAlert, context.registry))],
    needsIdempotency: true,
    // The alerted findings per image, the last scan result per repository and the watchdog's silent periods.
    needsState: true,
  });
};

export { SCAN_ALERT_WATCHDOG_SCHEDULE, scanAlertAutomation, severitiesAtOrAbove };
