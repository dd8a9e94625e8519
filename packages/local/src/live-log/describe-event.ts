import { DockmasterEventType } from '@dockmaster/core/constants';
import { AwsDetailType } from '@dockmaster/core/events/vocabulary';
import { isRecord } from '@dockmaster/core/shared';
import type { BusDelivery } from '../bus/index.js';
import type { RunnerEvent } from '../runner/index.js';
import { LineKind } from './live-log.js';

/** A line to write: its kind decides the colour. */
interface LogLine {
  kind: LineKind;
  text: string;
}

type Detail = Record<string, unknown>;

/*
 * Event details come from AWS samples and from the workers; the live log reads them defensively (a field a
 * worker renamed must cost a word in the log, never an event), hence these small accessors instead of schemas.
 */
const text = (detail: Detail, key: string): string | undefined => {
  const value = detail[key];
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
};
const num = (detail: Detail, key: string): number | undefined => (typeof detail[key] === 'number' ? (detail[key] as number) : undefined);
const record = (value: unknown): Detail => (isRecord(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const shortDigest = (digest: string | undefined): string => (digest === undefined ? '?' : `${digest.slice(0, 'sha256:'.length + 4)}…`);

/** `repo:tag` when tagged, else `repo@sha256:abcd…`. */
const imageRef = (repository: string | undefined, tag: string | undefined, digest: string | undefined): string =>
  `${repository ?? '?'}${tag === undefined ? `@${shortDigest(digest)}` : `:${tag}`}`;

const megabytes = (bytes: number): string => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${(bytes / 1000).toFixed(1)} kB`);

const targets = (automations: readonly string[]): string => (automations.length === 0 ? ' (no automation)' : ` -> ${automations.join(', ')}`);

const teams = (names: readonly string[]): string => (names.length === 0 ? '' : ` -> team ${names.join(', ')}`);

/** Events AWS services put on the default bus, with the automations they reached. */
const describeAwsEvent = (delivery: BusDelivery): LogLine => {
  const { event, automations } = delivery;
  const detail = record(event.detail);
  const to = targets(automations);
  switch (event['detail-type']) {
    case AwsDetailType.EcrImageAction: {
      const action = (text(detail, 'action-type') ?? 'action').toLowerCase();
      return { kind: LineKind.Event, text: `${action} ${imageRef(text(detail, 'repository-name'), text(detail, 'image-tag'), text(detail, 'image-digest'))}${to}` };
    }
    case AwsDetailType.EcrPullThroughCacheAction:
      return {
        kind: LineKind.Event,
        text: `pull ${imageRef(text(detail, 'repository-name'), text(detail, 'image-tag'), text(detail, 'image-digest'))} through the cache (${[text(detail, 'sync-status') ?? '?', text(detail, 'failure-code')].filter(Boolean).join(' ')})${to}`,
      };
    case AwsDetailType.ServiceEventViaCloudTrail:
    case AwsDetailType.ApiCallViaCloudTrail: {
      const name = text(record(detail.serviceEventDetails), 'repositoryName') ?? text(record(detail.requestParameters), 'repositoryName');
      const by = event['detail-type'] === AwsDetailType.ServiceEventViaCloudTrail ? 'by pull-through cache' : 'by API call';
      return { kind: LineKind.Event, text: `repository ${name ?? '?'} created ${by} (${text(detail, 'eventName') ?? 'CloudTrail'})${to}` };
    }
    case AwsDetailType.EcrImageScan: {
      const counts = Object.entries(record(detail['finding-severity-counts'])).map(([severity, count]) => `${severity} ${String(count)}`);
      const tags = list(detail['image-tags']).filter((tag): tag is string => typeof tag === 'string');
      return {
        kind: LineKind.Event,
        text: `scan ${imageRef(text(detail, 'repository-name'), tags[0], text(detail, 'image-digest'))}: ${text(detail, 'scan-status') ?? '?'}${counts.length === 0 ? ', no findings' : `, ${counts.join(', ')}`}${to}`,
      };
    }
    case AwsDetailType.ParameterStoreChange:
      // Only the name: the value may be a secret in other setups and is never logged.
      return { kind: LineKind.Event, text: `parameter ${text(detail, 'name') ?? '?'} ${(text(detail, 'operation') ?? 'changed').toLowerCase()}${to}` };
    default:
      return { kind: LineKind.Event, text: `${event.source} ${event['detail-type']}${to}` };
  }
};

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** `DockmasterPullAccounts added, DockmasterPullOrganizations removed`: which of Dockmaster's statements changed, by Sid. */
const statementChanges = (policy: Detail): string[] =>
  (['added', 'replaced', 'removed'] as const).flatMap((change) =>
    list(policy[change])
      .filter((sid): sid is string => typeof sid === 'string')
      .map((sid) => `${sid} ${change}`),
  );

/** `policy set: DockmasterPullAccounts added, scan on push on`: the cache-repository worker's diff (before/after) in words. */
const cacheRepositoryChanges = (diff: Detail): string[] => {
  const policy = record(diff.policy);
  const words: string[] = [];
  const action = text(policy, 'action');
  if (action === 'delete' || action === 'set') {
    const sids = statementChanges(policy);
    if (action === 'delete') words.push(sids.length > 0 ? `policy deleted: ${sids.join(', ')}` : 'policy deleted');
    // An event without Sids: how many Dockmaster statements the policy holds now.
    else words.push(`policy set: ${sids.length > 0 ? sids.join(', ') : plural(list(policy.after).length, 'Dockmaster statement')}`);
  }
  for (const change of list(record(diff.settings).changes).map(record)) {
    const setting = text(change, 'setting');
    if (setting === 'scanOnPush') words.push(`scan on push ${change.after === true ? 'on' : 'off'}`);
    else if (setting === 'tagMutability') words.push(`tag mutability ${String(change.after)}`);
    else if (setting === 'lifecyclePolicy') words.push('lifecycle policy set');
    else if (setting !== undefined) words.push(`${setting} changed`);
  }
  return words;
};

const TAG_POLICY_ACTIONS: Record<string, string> = { 'removed-tag': 'removed', 'already-removed': 'already removed', none: 'reported' };

/** Events Dockmaster's workers put on Dockmaster's bus: what they did. */
const describeDockmasterEvent = (delivery: BusDelivery): LogLine => {
  const { event } = delivery;
  const detail = record(event.detail);
  const to = teams(delivery.teams);
  const repository = text(detail, 'repository');
  switch (event['detail-type']) {
    case DockmasterEventType.TagPolicyViolation: {
      const violations = list(detail.violations).map((violation) => text(record(violation), 'message') ?? '?');
      const action = TAG_POLICY_ACTIONS[text(detail, 'action') ?? ''] ?? text(detail, 'action') ?? '?';
      return {
        kind: LineKind.Action,
        text: `tag-policy ${imageRef(repository, text(detail, 'tag'), text(detail, 'digest'))}: ${violations.join('; ')}, ${action} (${text(detail, 'mode') ?? '?'})${to}`,
      };
    }
    case DockmasterEventType.CacheRepositoryConfigured:
    case DockmasterEventType.CacheRepositoryDriftRepaired: {
      const what = event['detail-type'] === DockmasterEventType.CacheRepositoryConfigured ? 'configured' : 'drift repaired';
      const changes = cacheRepositoryChanges(record(detail.diff));
      return { kind: LineKind.Action, text: `cache-repository ${repository ?? '?'}: ${changes.length === 0 ? what : `${what}: ${changes.join(', ')}`}` };
    }
    case DockmasterEventType.ImagePrepopulated: {
      const blobs = num(detail, 'blobs');
      const bytes = num(detail, 'bytes');
      const size = [blobs === undefined ? undefined : `${blobs} blobs`, bytes === undefined ? undefined : megabytes(bytes)].filter(Boolean).join(', ');
      const done = text(detail, 'mode') === 'copy' ? 'copied' : 'warmed';
      return { kind: LineKind.Action, text: `prepopulate ${imageRef(repository, text(detail, 'tag'), text(detail, 'digest'))} ${done}${size === '' ? '' : ` (${size})`}` };
    }
    case DockmasterEventType.ImagePrepopulationFailed:
      return {
        kind: LineKind.Warning,
        text: `prepopulate ${imageRef(repository, text(detail, 'tag'), text(detail, 'digest'))} FAILED (${text(detail, 'reason') ?? text(detail, 'classification') ?? '?'}): ${text(detail, 'problem') ?? ''}${to}`.replace(/: (?= ->|$)/, ''),
      };
    case DockmasterEventType.ScanAlert: {
      const severity = text(detail, 'severity') ?? '?';
      const findings = list(detail.findings).filter((finding) => text(record(finding), 'severity') === severity).length;
      const count = findings > 0 ? findings : num(record(detail.counts), severity);
      return { kind: LineKind.Warning, text: `scan-alert ${imageRef(repository, undefined, text(detail, 'digest'))}: ${severity}${count === undefined ? '' : ` x${count}`}${to}` };
    }
    case DockmasterEventType.ScanAlertResolved:
      return { kind: LineKind.Action, text: `scan-alert ${imageRef(repository, undefined, text(detail, 'digest'))}: resolved${to}` };
    case DockmasterEventType.CacheSyncFailed:
      return { kind: LineKind.Warning, text: `cache health: ${imageRef(repository, text(detail, 'tag'), text(detail, 'digest'))} ${text(detail, 'kind') ?? '?'} (${text(detail, 'failureCode') ?? 'no code'})${to}` };
    case DockmasterEventType.ScanningSilent:
      return { kind: LineKind.Warning, text: `scan-alert watchdog: ${repository ?? '?'} has pushes but no scan results since ${text(detail, 'lastScanAt') ?? 'ever'}${to}` };
    default:
      return { kind: LineKind.Action, text: `${event['detail-type']}${repository === undefined ? '' : ` ${repository}`}${to}` };
  }
};

const describeDelivery = (delivery: BusDelivery): LogLine => (delivery.bus === 'default' ? describeAwsEvent(delivery) : describeDockmasterEvent(delivery));

/** Worker runs, schedules and triggers; successful runs are quiet (their events say what happened). */
const describeRunnerEvent = (event: RunnerEvent): LogLine | undefined => {
  switch (event.kind) {
    case 'worker-missing':
      return { kind: LineKind.Warning, text: `${event.automation}: worker not available (${event.reason}); its messages stay queued` };
    case 'schedule':
      return event.simulated
        ? { kind: LineKind.Info, text: `schedule ${event.rule} ${event.expression} -> ${event.automation}` }
        : { kind: LineKind.Info, text: `schedule ${event.rule} ${event.expression} is not simulated locally; run it with dockmaster local trigger` };
    case 'schedule-fired':
      return { kind: LineKind.Event, text: `schedule ${event.rule} fired -> ${event.automation}` };
    case 'trigger':
      return { kind: LineKind.Event, text: `trigger ${event.trigger} -> ${event.automation}` };
    case 'invocation': {
      const { report } = event;
      const ms = Math.round(report.durationMs);
      if (report.error !== undefined) {
        return { kind: LineKind.Error, text: `${report.automation}: batch of ${report.records.length} failed after ${ms} ms, retried after the visibility timeout: ${report.error}` };
      }
      if (report.failed.length > 0) {
        return { kind: LineKind.Error, text: `${report.automation}: ${report.failed.length} of ${report.records.length} record(s) failed (${ms} ms); they are retried, then dead-lettered` };
      }
      return { kind: LineKind.Info, text: `${report.automation}: ${report.records.length} record(s) processed in ${ms} ms` };
    }
    default:
      return undefined;
  }
};

export { describeDelivery, describeRunnerEvent, imageRef };
export type { LogLine };
