import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigIssue, loadConfig, type ConfigLoadResult } from './index.js';

/* pullThroughCache[].mode: cache (a pull-through cache rule) or copy (the prepopulate worker copies the images). */

const FILE = 'dockmaster.yaml';
const NOW = { now: new Date('2026-06-01T00:00:00Z') };
const COPY_EXAMPLE = readFileSync(new URL('../../../../docs/examples/copy-mode.yaml', import.meta.url), 'utf8');

/** A configuration with one pullThroughCache entry written out as YAML lines (indented under the list item). */
const withEntry = (...lines: string[]): string =>
  ['version: 1', 'registry: { accountId: "111122223333", region: eu-central-1 }', 'pullThroughCache:', ...lines.map((line, index) => `${index === 0 ? '  - ' : '    '}${line}`)].join('\n');

const issues = (result: ConfigLoadResult): string[] => (result.ok ? [] : result.issues.map(formatConfigIssue));
const warnings = (result: ConfigLoadResult): string[] => (result.ok ? result.warnings.map(formatConfigIssue) : ['(not valid)']);

const SECRET = (name: string) => `arn:aws:secretsmanager:eu-central-1:111122223333:secret:${name}-AbCdEf`;

describe('pullThroughCache mode', () => {
  it('defaults to cache, and reads the documented copy-mode example without a warning', () => {
    // Act
    const plain = loadConfig(withEntry('prefix: k8s', 'upstream: registry.k8s.io'), FILE, NOW);
    const copy = loadConfig(COPY_EXAMPLE, 'copy-mode.yaml', NOW);

    // Assess
    expect(plain.ok && plain.config.pullThroughCache[0]?.mode).toBe('cache');
    expect(copy.ok && copy.config.pullThroughCache.map((entry) => [entry.prefix, entry.upstream, entry.mode])).toEqual([['mcr', 'mcr.microsoft.com', 'copy']]);
    expect(warnings(copy)).toEqual([]);
  });

  it('rejects a mode that is neither cache nor copy, suggesting the closest', () => {
    // Act
    const result = loadConfig(withEntry('prefix: mcr', 'upstream: mcr.microsoft.com', 'mode: coppy'), FILE, NOW);

    // Assess
    expect(issues(result)).toEqual([`${FILE}:6:11 pullThroughCache[0].mode must be one of cache, copy, got the string "coppy" (did you mean "copy"?)`]);
  });

  it('warns, without rejecting, about a cache-mode upstream the pull-through cache does not support, naming the supported ones and the fix', () => {
    // Act
    const result = loadConfig(withEntry('prefix: mcr', 'upstream: mcr.microsoft.com'), FILE, NOW);

    // Assess
    expect(result.ok).toBe(true);
    const [warning, ...others] = warnings(result);
    expect(others).toEqual([]);
    expect(warning).toMatch(/^dockmaster\.yaml:5:15 pullThroughCache\[0\]\.upstream ECR pull-through cache does not support upstream mcr\.microsoft\.com /);
    expect(warning).toContain('Kubernetes (registry.k8s.io)');
    expect(warning).toContain('Docker Hub (registry-1.docker.io)');
    expect(warning).toContain('private ECR (<account>.dkr.ecr.<region>.amazonaws.com)');
    expect(warning).toContain('set mode: copy to have Dockmaster copy the allow-listed images into plain repositories under mcr/ instead');
  });

  it.each([
    ['registry.k8s.io'],
    ['public.ecr.aws'],
    ['quay.io'],
    ['ghcr.io'],
    ['registry.gitlab.com'],
    ['cgr.dev'],
    ['myregistry.azurecr.io'],
    ['444455556666.dkr.ecr.eu-west-1.amazonaws.com'],
  ])('does not warn about the supported upstream %s', (upstream) => {
    // Prepare: the ones that need credentials get a secret.
    const lines = ['prefix: up', `upstream: ${upstream}`, `credentialArn: ${SECRET('ecr-pullthroughcache/up')}`];

    // Act
    const result = loadConfig(withEntry(...lines), FILE, NOW);

    // Assess
    expect(warnings(result)).toEqual([]);
  });

  it('warns that platforms is ignored in copy mode, since images are copied whole', () => {
    // Act
    const result = loadConfig(
      withEntry('prefix: mcr', 'upstream: mcr.microsoft.com', 'mode: copy', 'prepopulate:', '  images:', '    - image: dotnet/runtime', '      tags: ["8.0"]', '      platforms: [linux/amd64]'),
      FILE,
      NOW,
    );

    // Assess
    expect(warnings(result)).toEqual([
      `${FILE}:9:11 pullThroughCache[0].prepopulate.images[0] a prepopulation failure of mcr/dotnet/runtime would reach no team: set owner on this entry or prepopulate.defaultOwner on mcr, or add a scanAlerts.routes entry that matches mcr/dotnet/runtime`,
      `${FILE}:11:22 pullThroughCache[0].prepopulate.images[0].platforms is ignored with mode: copy: a multi-platform image is copied whole (the index and every platform's image) so that its digest stays the upstream's; remove platforms`,
    ]);
  });

  it('requires credentials for Docker Hub only when the pull-through cache needs them, not in copy mode', () => {
    // Act
    const cache = loadConfig(withEntry('prefix: hub', 'upstream: registry-1.docker.io'), FILE, NOW);
    const copy = loadConfig(withEntry('prefix: hub', 'upstream: registry-1.docker.io', 'mode: copy'), FILE, NOW);

    // Assess
    expect(issues(cache)).toEqual([
      `${FILE}:4:5 pullThroughCache[0].credentialArn is required for upstream registry-1.docker.io: ECR authenticates to it with a Secrets Manager secret named ecr-pullthroughcache/<name>`,
    ]);
    expect(copy.ok).toBe(true);
  });

  it('takes any secret name in copy mode, but only ecr-pullthroughcache/... for the pull-through cache', () => {
    // Act
    const copy = loadConfig(withEntry('prefix: nvcr', 'upstream: nvcr.io', 'mode: copy', `credentialArn: ${SECRET('registries/nvcr')}`), FILE, NOW);
    const cache = loadConfig(withEntry('prefix: hub', 'upstream: ghcr.io', `credentialArn: ${SECRET('registries/ghcr')}`), FILE, NOW);
    const notAnArn = loadConfig(withEntry('prefix: nvcr', 'upstream: nvcr.io', 'mode: copy', 'credentialArn: registries/nvcr'), FILE, NOW);

    // Assess
    expect(copy.ok && copy.config.pullThroughCache[0]?.credentialArn).toBe(SECRET('registries/nvcr'));
    expect(issues(cache)).toEqual([
      `${FILE}:6:20 pullThroughCache[0].credentialArn must be a Secrets Manager secret ARN whose name starts with ecr-pullthroughcache/: ECR's pull-through cache reads no other secrets (with mode: copy, any secret works); create the secret as ecr-pullthroughcache/<name> (for example ecr-pullthroughcache/registries/ghcr) and set credentialArn to its ARN`,
    ]);
    expect(issues(notAnArn)).toEqual([
      `${FILE}:7:20 pullThroughCache[0].credentialArn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
    ]);
  });

  it("refuses a 51st pull-through cache rule at its place (ECR's quota: 50 per registry), and counts no copy entries", () => {
    // Prepare: 51 cache entries, and 50 cache entries plus 5 copy entries.
    const entries = (count: number, mode?: string) =>
      Array.from({ length: count }, (_, index) => [`  - prefix: ${mode ?? 'cache'}${index}`, '    upstream: registry.k8s.io', ...(mode === undefined ? [] : [`    mode: ${mode}`])]).flat();
    const file = (lines: string[]) => ['version: 1', 'registry: { accountId: "111122223333", region: eu-central-1 }', 'pullThroughCache:', ...lines].join('\n');

    // Act
    const over = loadConfig(file(entries(51)), FILE, NOW);
    const atQuota = loadConfig(file([...entries(50), ...entries(5, 'copy')]), FILE, NOW);

    // Assess: entry 51 (index 50) starts on line 4 + 50 * 2.
    expect(issues(over)).toEqual([
      `${FILE}:104:5 pullThroughCache[50] is pull-through cache rule 51 of 51: ECR allows 50 per registry (a quota that cannot be raised, and rules made outside Dockmaster count too); remove 1 mode: cache entries, or give upstreams the pull-through cache does not need mode: copy`,
    ]);
    expect(atQuota.ok).toBe(true);
  });
});

describe('pullThroughCache upstream: a host name only', () => {
  const HOST_ONLY = 'must be a host name only, optionally with :port (for example registry.k8s.io or registry.example.com:5000)';

  it.each([
    ['https://registry.k8s.io', `${HOST_ONLY}: drop the scheme (https://)`],
    ['ghcr.io/', `${HOST_ONLY}: drop the trailing slash`],
    ['ghcr.io/acme', `${HOST_ONLY}: drop the path (everything from the first /); image paths go in prepopulate.images[].image`],
    ['"not a host at all!"', `${HOST_ONLY}: letters, digits, - and . separated labels, then an optional :1-65535`],
    ['registry.example.com:70000', `${HOST_ONLY}: letters, digits, - and . separated labels, then an optional :1-65535`],
  ])('rejects %s where it is written, with the fix, in copy mode too', (upstream, message) => {
    // Act
    const cache = loadConfig(withEntry('prefix: up', `upstream: ${upstream}`), FILE, NOW);
    const copy = loadConfig(withEntry('prefix: up', `upstream: ${upstream}`, 'mode: copy'), FILE, NOW);

    // Assess
    expect(issues(cache)).toEqual([`${FILE}:5:15 pullThroughCache[0].upstream ${message}`]);
    expect(issues(copy)).toEqual([`${FILE}:5:15 pullThroughCache[0].upstream ${message}`]);
  });

  it('accepts a host with a port in copy mode', () => {
    // Act
    const result = loadConfig(withEntry('prefix: up', 'upstream: registry.example.com:5000', 'mode: copy'), FILE, NOW);

    // Assess
    expect(issues(result)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('requires credentials for GHCR however the host is capitalised', () => {
    // Act
    const result = loadConfig(withEntry('prefix: gh', 'upstream: GHCR.io'), FILE, NOW);

    // Assess
    expect(issues(result)).toEqual([
      `${FILE}:4:5 pullThroughCache[0].credentialArn is required for upstream GHCR.io: ECR authenticates to it with a Secrets Manager secret named ecr-pullthroughcache/<name>`,
    ]);
  });
});
