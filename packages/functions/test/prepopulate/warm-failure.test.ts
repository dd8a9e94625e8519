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

describe('classifyWarmFailure wording per run', () => {
  const unreachable = { message: 'HEAD https://r/v2/x/manifests/1 failed without a response after 4 attempt(s): connect ECONNREFUSED. Check that the registry address is right and reachable.', code: 'NETWORK_ERROR' };

  it('ends the registry message with one period, whatever it ended with', () => {
    // Act
    const failure = classifyWarmFailure(unreachable, subject);

    // Assess
    expect(failure.message).toBe(
      'Warming k8s/coredns/coredns:v1.11.1 failed: HEAD https://r/v2/x/manifests/1 failed without a response after 4 attempt(s): connect ECONNREFUSED. Check that the registry address is right and reachable. See the message; the next scheduled run tries again.',
    );
    expect(failure.message).not.toContain('..');
  });

  it.each([
    ['scheduled', undefined, 'Warming', 'See the message; the next scheduled run tries again.'],
    ['command', 'command', 'Warming', 'See the message; run dockmaster prepopulate again later.'],
    ['dry-run', 'dry-run', 'Checking', 'See the message; run dockmaster prepopulate --dry-run again later.'],
  ] as const)('a %s run says what it was doing and what comes next', (_run, run, action, next) => {
    // Act
    const failure = classifyWarmFailure(unreachable, { ...subject, ...(run === undefined ? {} : { run }) });
    const copied = classifyWarmFailure({ message: 'too many', code: 'TOOMANYREQUESTS', status: 429 }, { ...subject, mode: 'copy', ...(run === undefined ? {} : { run }) });

    // Assess
    expect(failure.message.startsWith(`${action} k8s/coredns/coredns:v1.11.1 failed: `)).toBe(true);
    expect(failure.message.endsWith(`reachable. ${next}`)).toBe(true);
    expect(copied.message.startsWith(`${run === 'dry-run' ? 'Checking' : 'Copying'} k8s/coredns/coredns:v1.11.1 failed: too many. `)).toBe(true);
    expect(copied.message).toContain(run === undefined ? 'The next scheduled run tries again;' : `${next.replace('See the message; run', 'Run').replace(/\.$/, '')};`);
  });
});
