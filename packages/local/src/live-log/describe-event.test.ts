import { DockmasterEventType } from '@dockmaster/core/constants';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import { awsSampleEvent } from '@dockmaster/core/testing';
import { describe, expect, it } from 'vitest';
import type { BusDelivery } from '../bus/index.js';
import { describeDelivery, describeRunnerEvent } from './describe-event.js';
import { LiveLog } from './live-log.js';
import { redactSecrets } from './redact.js';

const sample = async (name: string): Promise<EventBridgeEnvelope & { detail: Record<string, unknown> }> =>
  awsSampleEvent(name) as EventBridgeEnvelope & { detail: Record<string, unknown> };

const dockmaster = (detailType: string, detail: Record<string, unknown>, teams: string[] = []): BusDelivery => ({
  bus: 'dockmaster',
  event: { version: '0', id: 'e', 'detail-type': detailType, source: 'dockmaster', account: '1', time: 't', region: 'r', resources: [], detail },
  automations: [],
  teams,
});

describe('describeDelivery', () => {
  it('describes the real AWS push and pull-through samples with where they went', async () => {
    // Prepare
    const push = await sample('ecr-image-action-push-success.json');
    const pull = await sample('ecr-pull-through-cache-action.normalized.json');

    // Act
    const lines = [
      describeDelivery({ bus: 'default', event: { ...push, detail: { ...push.detail, 'repository-name': 'prod/payments/api' } }, automations: ['tag-policy'], teams: [] }).text,
      describeDelivery({ bus: 'default', event: pull, automations: [], teams: [] }).text,
      describeDelivery({
        bus: 'default',
        event: { ...pull, detail: { ...pull.detail, 'repository-name': 'k8s/pause', 'sync-status': 'FAILED', 'failure-code': 'UPSTREAM_UNREACHABLE' } },
        automations: ['cache-repository'],
        teams: [],
      }).text,
      describeDelivery(dockmaster(DockmasterEventType.CacheSyncFailed, { repository: 'k8s/pause', tag: '3.9', kind: 'upstream-unreachable', failureCode: 'UPSTREAM_UNREACHABLE' }, ['platform'])).text,
    ];

    // Assess
    expect(lines).toEqual([
      'push prod/payments/api:latest -> tag-policy',
      `pull ${String(pull.detail['repository-name'])}:${String(pull.detail['image-tag'])} through the cache (SUCCESS) (no automation)`,
      `pull k8s/pause:${String(pull.detail['image-tag'])} through the cache (FAILED UPSTREAM_UNREACHABLE) -> cache-repository`,
      'cache health: k8s/pause:3.9 upstream-unreachable (UPSTREAM_UNREACHABLE) -> team platform',
    ]);
  });

  it("says what Dockmaster's workers did, in one line each", () => {
    // Act
    const lines = [
      dockmaster(DockmasterEventType.TagPolicyViolation, {
        repository: 'prod/payments/api',
        tag: 'latest',
        digest: 'sha256:1',
        mode: 'enforce',
        action: 'removed-tag',
        violations: [{ rule: 'forbidden-tag', message: 'forbidden tag "latest"' }],
      }),
      dockmaster(DockmasterEventType.CacheRepositoryConfigured, {
        repository: 'k8s/pause',
        diff: { policy: { action: 'set', after: [{}, {}] }, settings: { changes: [{ setting: 'scanOnPush', before: false, after: true }] } },
      }),
      dockmaster(DockmasterEventType.ImagePrepopulated, { repository: 'k8s/coredns/coredns', tag: 'v1.11.1', blobs: 3, bytes: 1_200_000 }),
      dockmaster(
        DockmasterEventType.ScanAlert,
        { repository: 'prod/payments/api', digest: 'sha256:abcdef0123', severity: 'CRITICAL', findings: [{ severity: 'CRITICAL' }, { severity: 'CRITICAL' }] },
        ['payments'],
      ),
    ].map((delivery) => describeDelivery(delivery).text);

    // Assess
    expect(lines).toEqual([
      'tag-policy prod/payments/api:latest: forbidden tag "latest", removed (enforce)',
      'cache-repository k8s/pause: configured: policy set: 2 Dockmaster statements, scan on push on',
      'prepopulate k8s/coredns/coredns:v1.11.1 warmed (3 blobs, 1.2 MB)',
      'scan-alert prod/payments/api@sha256:abcd…: CRITICAL x2 -> team payments',
    ]);
  });

  it.each([
    ['names the changed Sids of a set policy', { action: 'set', added: ['DockmasterPullAccounts'], removed: [], replaced: ['DockmasterPullOrganizations'], after: [{}, {}] }, 'policy set: DockmasterPullAccounts added, DockmasterPullOrganizations replaced'],
    ['counts one statement in the singular when the event names no Sid', { action: 'set', after: [{}] }, 'policy set: 1 Dockmaster statement'],
    ['names the removed Sids of a deleted policy', { action: 'delete', added: [], removed: ['DockmasterPullAccounts'], replaced: [], after: [] }, 'policy deleted: DockmasterPullAccounts removed'],
  ])('%s', (_case, policy, expected) => {
    // Prepare
    const delivery = dockmaster(DockmasterEventType.CacheRepositoryDriftRepaired, { repository: 'k8s/pause', diff: { policy } });

    // Act
    const line = describeDelivery(delivery).text;

    // Assess
    expect(line).toBe(`cache-repository k8s/pause: drift repaired: ${expected}`);
  });

  it('reports failed batches loudly and a cron schedule as not simulated', () => {
    // Act
    const failed = describeRunnerEvent({ kind: 'invocation', report: { automation: 'tag-policy', records: [], failed: [], error: 'boom', durationMs: 3 } });
    const cron = describeRunnerEvent({ kind: 'schedule', automation: 'prepopulate', rule: 'r', expression: 'cron(0 3 * * ? *)', simulated: false });

    // Assess
    expect(failed).toMatchObject({ kind: 'error', text: expect.stringContaining('tag-policy: batch of 0 failed after 3 ms') });
    expect(cron?.text).toContain('not simulated');
  });
});

describe('LiveLog', () => {
  it('never writes credentials, and colours lines only when asked to', () => {
    // Prepare
    const written: string[] = [];
    const plain = new LiveLog({ write: (line) => written.push(line) });
    const coloured = new LiveLog({ write: (line) => written.push(line), colour: true });

    // Act
    plain.error('registry said 401 for Authorization: Basic QVdTOnNlY3JldC10b2tlbi12YWx1ZQ== at /_layers/x?expires=1&sig=abcdef123456');
    coloured.action('done');

    // Assess
    expect(written[0]).not.toContain('QVdTOnNlY3JldC10b2tlbi12YWx1ZQ');
    expect(written[0]).not.toContain('abcdef123456');
    expect(written[0]).toContain('Basic ***');
    expect(written[1]).toMatch(/^\u001b\[32m.*done\u001b\[0m$/);
    expect(redactSecrets('password=hunter2&x=1')).toBe('password=***&x=1');
  });
});

describe('describeDelivery of a copy', () => {
  it('says a copy-mode image was copied, not warmed', () => {
    // Act
    const line = describeDelivery(dockmaster(DockmasterEventType.ImagePrepopulated, { repository: 'mcr/dotnet/runtime', tag: '8.0', mode: 'copy', blobs: 6, bytes: 43_000 })).text;

    // Assess
    expect(line).toBe('prepopulate mcr/dotnet/runtime:8.0 copied (6 blobs, 43.0 kB)');
  });
});
