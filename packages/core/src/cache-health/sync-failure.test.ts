import { describe, expect, it } from 'vitest';
import { DockmasterConfigSchema } from '../config/index.js';
import { PullThroughCacheActionEventSchema } from '../events/cache.js';
import { renderCacheSyncFailedMessage } from '../notifications/index.js';
import { RenderedMessageSchema } from '../notifications/message.js';
import { awsSampleEvent } from '../testing/aws-samples.js';
import {
  cacheHealthAlertKey,
  CacheFailureKind,
  CacheSyncFailedDetailSchema,
  classifySyncFailure,
  describeCacheFailure,
  describeSyncFailure,
} from './sync-failure.js';

/** ECR's published sample (trailing comma removed), moved under the config's prefix `hub` and made a failed sync. */
const sample = awsSampleEvent('ecr-pull-through-cache-action.normalized.json') as { detail: Record<string, unknown> };
const SECRET = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf';

const failedSync = (detail: Record<string, unknown>) =>
  PullThroughCacheActionEventSchema.parse({
    ...sample,
    detail: { ...sample.detail, 'repository-name': 'hub/library/alpine', 'ecr-repository-prefix': 'hub', 'upstream-registry-url': 'registry-1.docker.io', 'sync-status': 'FAILED', ...detail },
  });

const config = DockmasterConfigSchema.parse({
  version: 1,
  registry: { accountId: '123456789012', region: 'us-west-2' },
  pullThroughCache: [
    { prefix: 'hub', upstream: 'registry-1.docker.io', credentialArn: SECRET, prepopulate: { defaultOwner: 'platform', images: [{ image: 'nginx', tags: ['1.27'], owner: 'web' }] } },
    { prefix: 'k8s', upstream: 'registry.k8s.io' },
  ],
  teams: { platform: { email: ['platform@acme.example'] }, web: { email: ['web@acme.example'] } },
});

describe('classifySyncFailure', () => {
  it.each([
    ['UPSTREAM_AUTHENTICATION_FAILED', undefined, CacheFailureKind.UpstreamAuthentication],
    [undefined, 'The authentication to the upstream registry failed', CacheFailureKind.UpstreamAuthentication],
    ['UNKNOWN', 'upstream answered 401 Unauthorized', CacheFailureKind.UpstreamAuthentication],
    ['UPSTREAM_RATE_LIMITED', undefined, CacheFailureKind.UpstreamRateLimited],
    [undefined, 'toomanyrequests: You have reached your pull rate limit', CacheFailureKind.UpstreamRateLimited],
    ['UPSTREAM_IMAGE_NOT_FOUND', undefined, CacheFailureKind.ImageNotFoundUpstream],
    [undefined, 'manifest unknown', CacheFailureKind.ImageNotFoundUpstream],
    ['UPSTREAM_UNREACHABLE', undefined, CacheFailureKind.UpstreamUnreachable],
    [undefined, 'connect ECONNREFUSED', CacheFailureKind.UpstreamUnreachable],
    ['IMPORT_FAILED', 'disk full', CacheFailureKind.Other],
    [undefined, undefined, CacheFailureKind.Other],
  ])('code %s, reason %s is %s', (code, reason, expected) => {
    // Act
    const kind = classifySyncFailure(code, reason);

    // Assess
    expect(kind).toBe(expected);
  });
});

describe('describeSyncFailure', () => {
  it('describes a failed sync of the real sample for the allow-list owner, with the secret to fix', () => {
    // Prepare
    const event = failedSync({ 'repository-name': 'hub/library/nginx', 'image-tag': '1.27', 'failure-code': 'UPSTREAM_AUTHENTICATION_FAILED', 'failure-reason': 'The authentication to the upstream registry failed' });

    // Act
    const detail = describeSyncFailure(event, config);

    // Assess
    expect(detail).toBeDefined();
    expect(CacheSyncFailedDetailSchema.parse(detail)).toEqual(detail);
    expect(detail).toMatchObject({ kind: 'upstream-authentication', prefix: 'hub', team: 'web', tag: '1.27', failureCode: 'UPSTREAM_AUTHENTICATION_FAILED', credentialArn: SECRET, seenBy: 'ecr-event' });
    expect(detail?.advice).toContain(SECRET);
    expect(detail?.advice).toContain('ecr-pullthroughcache/');
    expect(detail?.advice).toContain('aws ecr validate-pull-through-cache-rule --ecr-repository-prefix hub');
  });

  it("falls back to the prefix's defaultOwner for an image not on the allow-list", () => {
    // Prepare
    const event = failedSync({ 'failure-code': 'UPSTREAM_RATE_LIMITED' });

    // Act
    const detail = describeSyncFailure(event, config);

    // Assess
    expect(detail).toMatchObject({ kind: 'upstream-rate-limited', team: 'platform', repository: 'hub/library/alpine' });
  });

  it('says an upstream without credentialArn needs a secret named ecr-pullthroughcache/...', () => {
    // Prepare
    const event = failedSync({ 'repository-name': 'k8s/pause', 'ecr-repository-prefix': 'k8s', 'failure-code': 'UPSTREAM_AUTHENTICATION_FAILED' });

    // Act
    const detail = describeSyncFailure(event, config);

    // Assess
    expect(detail).toMatchObject({ kind: 'upstream-authentication', team: null, credentialArn: null });
    expect(detail?.advice).toContain('has no credentialArn');
    expect(detail?.advice).toContain('ecr-pullthroughcache/<name>');
  });

  it('ignores a successful sync (the unchanged AWS sample status) and a repository under no prefix', () => {
    // Prepare
    const success = failedSync({ 'sync-status': 'SUCCESS' });
    const elsewhere = failedSync({ 'repository-name': 'docker-hub/alpine' });

    // Act
    const results = [describeSyncFailure(success, config), describeSyncFailure(elsewhere, config)];

    // Assess
    expect(results).toEqual([undefined, undefined]);
  });

  it('keys alerts by Region, image and kind: another tag or kind is another alert, another event is not', () => {
    // Prepare
    const first = describeSyncFailure(failedSync({ 'image-tag': '3.20', 'failure-code': 'UPSTREAM_AUTHENTICATION_FAILED' }), config);
    const again = describeSyncFailure({ ...failedSync({ 'image-tag': '3.20', 'failure-code': 'UPSTREAM_AUTHENTICATION_FAILED' }), id: 'another-event' }, config);
    const otherTag = describeSyncFailure(failedSync({ 'image-tag': '3.21', 'failure-code': 'UPSTREAM_AUTHENTICATION_FAILED' }), config);
    const otherKind = describeSyncFailure(failedSync({ 'image-tag': '3.20', 'failure-code': 'UPSTREAM_RATE_LIMITED' }), config);

    // Act
    const keys = [first, again, otherTag, otherKind].map((detail) => cacheHealthAlertKey(detail!));

    // Assess
    expect(keys[0]).toBe('cache-health#us-west-2#hub/library/alpine:3.20#upstream-authentication');
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(3);
  });
});

describe('renderCacheSyncFailedMessage', () => {
  it('renders subject and body with the failure code, the reason and the fix', () => {
    // Prepare
    const detail = describeCacheFailure(
      {
        repository: 'hub/library/nginx',
        tag: '1.27',
        digest: null,
        failureCode: 'UNAUTHORIZED',
        failureReason: 'authentication required\nsecond line',
        kind: CacheFailureKind.UpstreamAuthentication,
        seenBy: 'prepopulate',
        region: 'us-west-2',
        account: '123456789012',
        eventId: 'run-1:hub/library/nginx:1.27',
      },
      config,
    );

    // Act
    const message = renderCacheSyncFailedMessage(detail!);

    // Assess
    expect(RenderedMessageSchema.parse(message)).toEqual(message);
    expect(message.subject).toBe('[CACHE SYNC FAILED] hub/library/nginx:1.27 — upstream authentication failed');
    expect(message.body).toContain('Failure:     UNAUTHORIZED — authentication required second line');
    expect(message.body).toContain(`Secret:      ${SECRET}`);
    expect(message.body).toContain('put-secret-value');
    expect(message.body).toContain('Team:        web');
  });
});
