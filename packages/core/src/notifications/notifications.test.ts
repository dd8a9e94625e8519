import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DockmasterConfigSchema, parseConfigOrThrow } from '../config/index.js';
import { ReplicationActionEventSchema } from '../events/cache.js';
import { describeReplicationFailure } from '../replication/index.js';
import { evaluateRepositoryTag, TagPolicyAction, TagPolicyRule, type TagPolicyViolationDetail } from '../tag-policy/index.js';
import { awsSampleEvent } from '../testing/index.js';
import { fitSubject, RenderedMessageSchema } from './message.js';
import { renderPrepopulationFailedMessage, type PrepopulationFailure } from './prepopulation-failed.js';
import { renderReplicationFailedMessage } from './replication-failed.js';
import { renderScanningSilentMessage } from './scanning-silent.js';
import { renderTagPolicyViolationMessage } from './tag-policy-violation.js';

const repositoryRoot = new URL('../../../../', import.meta.url);
const example = parseConfigOrThrow(readFileSync(new URL('docs/examples/dockmaster.example.yaml', repositoryRoot), 'utf8'), 'dockmaster.example.yaml', {
  now: new Date('2026-01-01'),
});

const DIGEST = `sha256:${'4a5e5b8d'.repeat(8)}`;

/** A violation as the tag-policy worker builds it, from the example's enforce-mode policy for prod/**. */
const violation = (tag: string, action: TagPolicyViolationDetail['action']): TagPolicyViolationDetail => {
  const decision = evaluateRepositoryTag(example, 'prod/payments/api', { tag, now: new Date('2026-06-01') });
  if (decision.compliant || decision.policy === null || decision.mode === null) throw new Error(`expected "${tag}" to violate a policy`);
  return {
    repository: 'prod/payments/api',
    tag,
    digest: DIGEST,
    policy: decision.policy,
    mode: decision.mode,
    violations: decision.violations,
    notes: decision.notes,
    action,
    eventId: 'f6a5c2d1-0e43-4b8a-9d1c-3b2a1f0e9d8c',
    team: 'payments',
  };
};

const failure: PrepopulationFailure = {
  repository: 'k8s/coredns/coredns',
  prefix: 'k8s',
  upstream: 'registry.k8s.io',
  image: 'coredns/coredns',
  tag: 'v1.99.0',
  reason: 'missing-upstream',
  problem: 'registry.k8s.io/coredns/coredns has no tag v1.99.0. Fix or remove it in the prepopulate allow-list of the Dockmaster config.',
  team: 'platform-dns',
};

describe('fitSubject', () => {
  it('keeps a short subject as it is and shortens a long image reference in the middle, keeping its tag', () => {
    // Prepare
    const long = `${'very-long-team-name/'.repeat(8)}service:2026.06.01-build.1234`;

    // Act
    const short = fitSubject('[X] ', 'prod/api:1.0', ' — y');
    const fitted = fitSubject('[TAG POLICY] ', long, ' — violates "prod-images", tag removed');

    // Assess
    expect(short).toBe('[X] prod/api:1.0 — y');
    expect(fitted.length).toBeLessThan(100);
    expect(fitted).toMatch(/^\[TAG POLICY\] very-long-team-name\/.*….*build\.1234 — violates "prod-images", tag removed$/);
  });

  it('never lets a line break into the subject', () => {
    // Act
    const subject = fitSubject('[X] ', 'repo:tag\nInjected: header', '\r\n— end');

    // Assess
    expect(RenderedMessageSchema.shape.subject.safeParse(subject).success).toBe(true);
    expect(subject).toBe('[X] repo:tag Injected: header — end');
  });
});

describe('renderTagPolicyViolationMessage', () => {
  it('says which tag broke which policy, what was done, and how to push a compliant tag', () => {
    // Act
    const message = renderTagPolicyViolationMessage(violation('latest', TagPolicyAction.RemovedTag));

    // Assess
    expect(RenderedMessageSchema.parse(message)).toEqual(message);
    expect(message.subject).toMatch(/^\[TAG POLICY\] prod\/payments\/api:latest — violates "[^"]+", tag removed$/);
    expect(message.body).toContain('The tag was removed (enforce mode)');
    expect(message.body).toContain(`Image:    prod/payments/api@${DIGEST}`);
    expect(message.body).toMatch(/Violations:\n {2}- .*"latest".* \[forbidden-tag\]/);
    expect(message.body).toContain('npx dockmaster check-tag --config dockmaster.yaml prod/payments/api:latest');
  });

  it('tells whoever moved an immutable tag to use a new tag, not "a tag the policy allows"', () => {
    // Prepare: the violation the worker adds when a push moved an immutable tag to another digest.
    const compliant = violation('latest', TagPolicyAction.RemovedTag);
    const moved: TagPolicyViolationDetail = {
      ...compliant,
      tag: '1.4.2',
      violations: [{ rule: TagPolicyRule.ImmutableTag, message: 'tag "1.4.2" is immutable under tag policy "production-services"' }],
    };

    // Act
    const forMoved = renderTagPolicyViolationMessage(moved);
    const forForbidden = renderTagPolicyViolationMessage(compliant);

    // Assess
    expect(forMoved.body).toContain('1. Push the new image under a new tag: "1.4.2" is immutable under this policy');
    expect(forMoved.body).not.toContain('under a tag the policy allows');
    expect(forForbidden.body).toContain('1. Push the image again under a tag the policy allows');
  });

  it('says nothing was changed in audit mode', () => {
    // Act
    const message = renderTagPolicyViolationMessage({ ...violation('latest', TagPolicyAction.None), mode: 'audit' });

    // Assess
    expect(message.subject).toMatch(/, audit only$/);
    expect(message.body).toContain('Nothing was changed: the policy is in audit mode.');
  });
});

describe('renderReplicationFailedMessage', () => {
  it('renders the real failed-replication sample with source, destination and the command that shows why', () => {
    // Prepare
    const config = DockmasterConfigSchema.parse({ version: 1, registry: { accountId: '123456789012', region: 'us-east-1' } });
    const detail = describeReplicationFailure(ReplicationActionEventSchema.parse(awsSampleEvent('ecr-replication-action-failed.json')), config);

    // Act
    const message = renderReplicationFailedMessage(detail);

    // Assess
    expect(RenderedMessageSchema.parse(message)).toEqual(message);
    expect(message.subject).toBe('[REPLICATION FAILED] my-app:latest — us-west-2 -> us-east-1');
    expect(message.body).toContain('from 123456789012/us-west-2 to 123456789012/us-east-1 failed');
    expect(message.body).toContain(`aws ecr describe-image-replication-status --repository-name my-app --image-id imageDigest=${detail.digest} --region us-west-2`);
    expect(message.body).toContain('Team:         (no owning team');
  });
});

describe('renderPrepopulationFailedMessage', () => {
  it('says which image was not warmed, why, and how to warm it again', () => {
    // Act
    const message = renderPrepopulationFailedMessage({ ...failure, status: 404, code: 'MANIFEST_UNKNOWN' });

    // Assess
    expect(RenderedMessageSchema.parse(message)).toEqual(message);
    expect(message.subject).toBe('[PREPOPULATE FAILED] k8s/coredns/coredns:v1.99.0 — not found upstream');
    expect(message.body).toContain(failure.problem);
    expect(message.body).toContain('Reason:    missing-upstream (HTTP 404, MANIFEST_UNKNOWN)');
    expect(message.body).toContain('{"kind":"warm","repository":"k8s/coredns/coredns","tag":"v1.99.0"}');
  });

  it('keeps the subject under 100 characters for a long selector', () => {
    // Act
    const message = renderPrepopulationFailedMessage({ ...failure, reason: 'rate-limited', tag: `regex ^v1\\.${'(0|[1-9][0-9]*)\\.'.repeat(6)}$` });

    // Assess
    expect(RenderedMessageSchema.parse(message).subject).toMatch(/^\[PREPOPULATE FAILED\] k8s\/coredns\/coredns:regex \^v1.*….* — rate limited$/);
  });
});

describe('renderPrepopulationFailedMessage for a copy', () => {
  it('says the image was not copied into the prefix, not warmed into a cache', () => {
    // Act
    const message = renderPrepopulationFailedMessage({
      ...failure,
      repository: 'mcr/dotnet/runtime',
      prefix: 'mcr',
      upstream: 'mcr.microsoft.com',
      image: 'dotnet/runtime',
      tag: '8.0',
      reason: 'access-denied',
      mode: 'copy',
    });

    // Assess
    expect(message.subject).toBe('[PREPOPULATE FAILED] mcr/dotnet/runtime:8.0 — access denied');
    expect(message.body).toContain('Dockmaster could not copy mcr/dotnet/runtime:8.0 from mcr.microsoft.com into mcr/ (copy mode): access denied.');
    expect(message.body).toContain('Copy:      mcr/dotnet/runtime (prefix mcr)');
    expect(message.body).not.toContain('pull-through cache');
  });
});

describe('renderScanningSilentMessage', () => {
  it('names the repository, the silent hours and the checks to make', () => {
    // Act
    const message = renderScanningSilentMessage({
      team: null,
      repository: 'k8s/pause',
      lastPushAt: '2026-06-02T01:00:00.000Z',
      firstUnscannedPushAt: '2026-06-01T01:00:00.000Z',
      lastScanAt: null,
      silentAfterHours: 24,
      silentForHours: 25,
    });

    // Assess
    expect(RenderedMessageSchema.parse(message)).toEqual(message);
    expect(message.subject).toBe('[SCANNING SILENT] k8s/pause — pushed 25 h ago, no scan result since');
    expect(message.body).toContain('Team:                   (no route matched: add one under scanAlerts.routes)');
    expect(message.body).toContain("aws ecr describe-repositories --repository-names k8s/pause --query 'repositories[0].imageScanningConfiguration'");
  });
});
