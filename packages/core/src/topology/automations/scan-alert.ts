import { AutomationId, SEVERITIES, type Severity } from '../../constants.js';
import { repositoryArnsForGlobs, statementIfAny } from '../iam.js';
import type { AutomationSpec, EventRuleSpec, JsonValue } from '../types.js';
import { type AutomationContext, automationSpec } from './automation.js';

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
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Scan'],
        detail: { 'scan-status': ['COMPLETE'], 'finding-severity-counts': anyCountAboveZero(severities) },
      },
    },
    {
      kind: 'event',
      name: 'scan-alert-inspector-finding',
      description: `Dockmaster: Inspector findings at or above ${minimum} on ECR images (opened or closed)`,
      eventPattern: {
        source: ['aws.inspector2'],
        'detail-type': ['Inspector2 Finding'],
        detail: {
          severity: severities,
          status: ['ACTIVE', 'CLOSED'],
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
        source: ['aws.inspector2'],
        'detail-type': ['Inspector2 Scan'],
        detail: { 'scan-status': ['INITIAL_SCAN_COMPLETE'], 'finding-severity-counts': anyCountAboveZero(inspectorScanKeys) },
      },
    },
  ];
};

/**
 * Alerts the owning team about findings at or above the threshold. It reads finding details only for
 * repositories a route covers: an alert for a repository no route covers has nobody to go to, so the
 * worker must resolve the route before it calls ECR.
 */
const scanAlertAutomation = ({ config, registry }: AutomationContext): AutomationSpec => {
  const scanAlerts = config.scanAlerts;
  const routedGlobs = scanAlerts?.routes.flatMap((route) => route.repositories) ?? [];
  return automationSpec(AutomationId.ScanAlert, {
    description: 'Alerts the owning team about scan findings at or above the configured severity, and when they are resolved.',
    rules: scanAlerts === undefined ? [] : scanAlertRules(scanAlerts.minSeverity),
    permissions:
      scanAlerts === undefined
        ? []
        : statementIfAny(
            'ReadFindings',
            ['ecr:DescribeImageScanFindings', 'ecr:DescribeImages'],
            repositoryArnsForGlobs(registry, routedGlobs),
          ),
    needsIdempotency: true,
  });
};

export { scanAlertAutomation, severitiesAtOrAbove };
