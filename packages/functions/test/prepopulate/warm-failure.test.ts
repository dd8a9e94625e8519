import { RegistryError } from '@dockmaster/registry';
import { describe, expect, it } from 'vitest';
import { classifyWarmFailure } from '../../src/prepopulate/warm-failure.js';

const subject = { repository: 'k8s/coredns/coredns', tag: 'v1.11.1', upstream: 'registry.k8s.io' };
const error = (code: string, status?: number) =>
  new RegistryError({ message: `registry said ${code}`, code, ...(status === undefined ? {} : { status }), request: { method: 'GET', url: 'https://r/v2/x' } });

describe('classifyWarmFailure', () => {
  it.each([
    ['MANIFEST_UNKNOWN', 404, 'missing-upstream', 'registry.k8s.io has no coredns/coredns:v1.11.1'],
    ['NAME_UNKNOWN', 404, 'missing-upstream', 'prepopulate allow-list'],
    ['TOOMANYREQUESTS', 429, 'rate-limited', 'credentialArn'],
    ['UNKNOWN', 429, 'rate-limited', '429 Too Many Requests'],
    ['UNAUTHORIZED', 401, 'access-denied', 'ecr:BatchImportUpstreamImage'],
    ['DENIED', 403, 'access-denied', 'ecr:CreateRepository'],
    ['UNKNOWN', 500, 'other', 'next scheduled run'],
    ['NETWORK_ERROR', undefined, 'other', 'registry said NETWORK_ERROR'],
  ])('classifies %s (HTTP %s) as %s with advice', (code, status, reason, advice) => {
    // Act
    const failure = classifyWarmFailure(error(code, status), subject);

    // Assess
    expect(failure.reason).toBe(reason);
    expect(failure.message).toContain('Warming k8s/coredns/coredns:v1.11.1 failed');
    expect(failure.message).toContain(advice);
  });
});

describe('classifyWarmFailure in copy mode', () => {
  const copySubject = { repository: 'mcr/dotnet/runtime', tag: '8.0', upstream: 'mcr.microsoft.com', mode: 'copy' as const };

  it.each([
    ['UNAUTHORIZED', 401, 'access-denied', 'give the entry credentialArn (a Secrets Manager secret with username and accessToken)'],
    ['DENIED', 403, 'access-denied', 'ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage, ecr:BatchCheckLayerAvailability on mcr/dotnet/runtime'],
    ['TOOMANYREQUESTS', 429, 'rate-limited', 'credentials on the entry (credentialArn)'],
    ['MANIFEST_UNKNOWN', 404, 'missing-upstream', 'mcr.microsoft.com has no dotnet/runtime:8.0'],
  ])('classifies %s (HTTP %s) as %s with advice for a copy', (code, status, reason, advice) => {
    // Act
    const failure = classifyWarmFailure({ message: `registry said ${code}`, code, status }, copySubject);

    // Assess
    expect(failure.reason).toBe(reason);
    expect(failure.message).toContain('Copying mcr/dotnet/runtime:8.0 failed: registry said');
    expect(failure.message).toContain(advice);
    expect(failure.message).not.toContain('BatchImportUpstreamImage');
  });
});
