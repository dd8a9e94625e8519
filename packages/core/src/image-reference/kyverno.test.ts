import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyPrefixConfig, PINNED_DIGEST } from './copy-prefix.fixture.js';
import { configWithCaches } from '../cache-repository/example-config.fixture.js';
import { renderKyvernoPolicyYaml } from './kyverno.js';
import { parseDistributionReference, formatImageReference } from './parse.js';
import { rewriteImageReference } from './rewrite.js';
import type { RewriteConfig } from './targets.js';

const HOST = '111122223333.dkr.ecr.eu-central-1.amazonaws.com';
const DIGEST = `sha256:${'c'.repeat(64)}`;
const SECRET = (name: string): string => `arn:aws:secretsmanager:eu-central-1:111122223333:secret:ecr-pullthroughcache/${name}-AbCdEf`;

/** Every kind of upstream: the example's registry.k8s.io, Docker Hub written as docker.io, Quay, and a copy prefix. */
const config = configWithCaches([
  { prefix: 'k8s', upstream: 'registry.k8s.io', prepopulate: { images: [{ image: 'pause', tags: ['3.10'] }] } },
  { prefix: 'docker-hub', upstream: 'docker.io', credentialArn: SECRET('docker-hub') },
  { prefix: 'quay', upstream: 'quay.io' },
  { prefix: 'gcr', upstream: 'gcr.io', mode: 'copy', prepopulate: { images: [{ image: 'distroless/static', tags: ['nonroot'] }] } },
]);

type Condition = { key: string; operator: string; value: unknown };
type ForEach = { list: string; preconditions: { all: Condition[] }; patchStrategicMerge: { spec: Record<string, { name: string; image: string }[]> } };
type Rule = { name: string; match: { any: { resources: { kinds: string[] } }[] }; preconditions: { all: Condition[] }; mutate: { foreach: ForEach[] } };
type Policy = { apiVersion: string; kind: string; metadata: { name: string; annotations: Record<string, string> }; spec: { background: boolean; rules: Rule[] } };

/** The policy as kubectl would read it: rendered to YAML and parsed back with the project's YAML parser. */
const renderedPolicy = (from: RewriteConfig): Policy => parse(renderKyvernoPolicyYaml(from).yaml) as Policy;

const MATCH = /^\{\{ regex_match\('([^']*)', '\{\{element\.image\}\}'\) \}\}$/;
const REPLACE = /^\{\{ regex_replace_all\('([^']*)', '\{\{element\.image\}\}', '([^']*)'\) \}\}$/;

/**
 * What Kyverno does with one image under one rule, evaluated with RE2 (Kyverno runs Go's regexp, RE2 syntax):
 * the foreach entries whose element preconditions hold, and the image each would write. Only the two JMESPath
 * forms the renderer writes are understood; anything else fails the test.
 */
const applyRule = (rule: Rule, image: string, previousNames: string[] = []): string[] =>
  rule.mutate.foreach.flatMap((entry) => {
    const holds = entry.preconditions.all.every((condition) => {
      if (condition.key === '{{ element.name }}') return !previousNames.includes('c');
      const regex = MATCH.exec(condition.key)?.[1];
      if (regex === undefined) throw new Error(`unexpected precondition ${condition.key}`);
      return RE2JS.compile(regex).matcher(image).find() === condition.value;
    });
    if (!holds) return [];
    const template = Object.values(entry.patchStrategicMerge.spec)[0]?.[0]?.image ?? '';
    const [, regex = '', replacement = ''] = REPLACE.exec(template) ?? [];
    return [RE2JS.compile(regex).matcher(image).replaceAll(replacement)];
  });

/** `latest` made explicit, as a runtime pulls it, so the policy's and rewrite-image's answers compare. */
const pulled = (reference: string): string => {
  const parsed = parseDistributionReference(reference);
  return formatImageReference({ ...parsed, tag: parsed.tag ?? (parsed.digest === undefined ? 'latest' : undefined) });
};

const IMAGES = [
  'registry.k8s.io/pause:3.10',
  'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
  `registry.k8s.io/pause:3.10@${DIGEST}`,
  'nginx',
  'nginx:1.27',
  `nginx@${DIGEST}`,
  'docker.io/nginx:1.27',
  'index.docker.io/library/nginx:1.27',
  'library/nginx:1.27',
  'bitnami/redis:7.4',
  'docker.io/bitnami/redis:7.4',
  'quay.io/prometheus/node-exporter:v1.8.2',
  'gcr.io/distroless/static:nonroot',
  'localhost/app:1',
  'localhost:5000/team/app:1',
  'ghcr.io/acme/app:v1',
  `${HOST}/k8s/pause:3.10`,
];

describe('renderKyvernoPolicy', () => {
  it('renders a kyverno.io/v1 ClusterPolicy for Pods with one rule per container list', () => {
    // Act
    const policy = renderedPolicy(config);

    // Assess
    expect([policy.apiVersion, policy.kind, policy.metadata.name, policy.spec.background]).toEqual(['kyverno.io/v1', 'ClusterPolicy', 'dockmaster-pull-through-cache', false]);
    expect(policy.metadata.annotations['pod-policies.kyverno.io/autogen-controllers']).toBe('none');
    expect(policy.spec.rules.map((rule) => [rule.name, rule.match.any[0]?.resources.kinds, rule.preconditions.all[0]?.value])).toEqual([
      ['rewrite-containers', ['Pod'], ['CREATE']],
      ['rewrite-initcontainers', ['Pod'], ['CREATE']],
      ['rewrite-ephemeralcontainers', ['Pod/ephemeralcontainers'], ['UPDATE']],
    ]);
    for (const rule of policy.spec.rules) {
      const list = rule.mutate.foreach[0]?.list.replace('request.object.spec.', '') ?? '';
      expect(rule.mutate.foreach.map((entry) => entry.list)).toEqual(rule.mutate.foreach.map(() => `request.object.spec.${list}`));
      expect(rule.mutate.foreach.map((entry) => Object.keys(entry.patchStrategicMerge.spec))).toEqual(rule.mutate.foreach.map(() => [list]));
    }
  });

  it('rewrites every configured upstream, in every container list, to what rewrite-image prints (Docker Hub under library/)', () => {
    // Prepare
    const policy = renderedPolicy(config);

    for (const rule of policy.spec.rules) {
      for (const image of IMAGES) {
        // Act
        const written = applyRule(rule, image);
        const expected = rewriteImageReference(config, image);

        // Assess: at most one entry applies, so the order of the patches never matters.
        expect(written.length, `${rule.name} ${image}`).toBeLessThanOrEqual(1);
        const result = written[0] ?? image;
        if (expected.outcome === 'rewritten') expect(pulled(result), `${rule.name} ${image}`).toBe(expected.output);
        else expect(result, `${rule.name} ${image}`).toBe(image);
      }
    }
    expect(applyRule(policy.spec.rules[0]!, 'nginx:1.27')).toEqual([`${HOST}/docker-hub/library/nginx:1.27`]);
    expect(applyRule(policy.spec.rules[1]!, 'registry.k8s.io/pause:3.10')).toEqual([`${HOST}/k8s/pause:3.10`]);
    expect(applyRule(policy.spec.rules[2]!, 'quay.io/prometheus/node-exporter:v1.8.2')).toEqual([`${HOST}/quay/prometheus/node-exporter:v1.8.2`]);
  });

  it('leaves images it already rewrote alone (idempotent on re-admission)', () => {
    // Prepare
    const [containers] = renderedPolicy(config).spec.rules;
    const rewritten = IMAGES.flatMap((image) => applyRule(containers!, image));

    // Act
    const again = rewritten.flatMap((image) => applyRule(containers!, image));

    // Assess
    expect(rewritten.length).toBeGreaterThan(10);
    expect(again).toEqual([]);
  });

  it('rewrites only the allow-listed images of a copy prefix, which holds nothing else', () => {
    // Prepare
    const [containers] = renderedPolicy(config).spec.rules;

    // Act
    const listed = applyRule(containers!, 'gcr.io/distroless/static:nonroot');
    const unlisted = applyRule(containers!, 'gcr.io/distroless/base:nonroot');

    // Assess
    expect(listed).toEqual([`${HOST}/gcr/distroless/static:nonroot`]);
    expect(unlisted).toEqual([]);
  });

  it('rewrites a Docker Hub copy prefix only for its allow-listed images, however they are written', () => {
    // Prepare
    const copyHub = configWithCaches([
      { prefix: 'hub', upstream: 'docker.io', mode: 'copy', prepopulate: { images: [{ image: 'nginx', tags: ['1.27'] }, { image: 'bitnami/redis', tags: ['7.4'] }] } },
    ]);
    const [containers] = renderedPolicy(copyHub).spec.rules;
    const images = ['nginx:1.27', 'docker.io/library/nginx:1.27', 'library/nginx:1.27', 'bitnami/redis:7.4', 'docker.io/bitnami/redis:7.4', 'redis:7.4', 'bitnami/redis-cluster:7.4', 'nginx-unprivileged:1'];

    // Act
    const written = images.map((image) => applyRule(containers!, image));

    // Assess
    expect(written).toEqual([
      [`${HOST}/hub/library/nginx:1.27`],
      [`${HOST}/hub/library/nginx:1.27`],
      [`${HOST}/hub/library/nginx:1.27`],
      [`${HOST}/hub/bitnami/redis:7.4`],
      [`${HOST}/hub/bitnami/redis:7.4`],
      [],
      [],
      [],
    ]);
  });

  it('rewrites only the allow-listed exact tags and pinned digests of a copy prefix, as rewrite-image does', () => {
    // Prepare: the review's config (only dotnet/runtime:8.0), a pinned tag with latest, and a SemVer-selected image.
    const PIN = PINNED_DIGEST;
    const mcr = copyPrefixConfig();
    const rules = renderedPolicy(mcr).spec.rules;
    const images = [
      'mcr.microsoft.com/dotnet/runtime:8.0',
      'mcr.microsoft.com/other/image:1',
      'mcr.microsoft.com/dotnet/runtime:9.0',
      'mcr.microsoft.com/dotnet/runtime:latest',
      'mcr.microsoft.com/dotnet/runtime',
      'mcr.microsoft.com/dotnet/runtime:8.0.1',
      'mcr.microsoft.com/dotnet/runtime:8x0',
      `mcr.microsoft.com/dotnet/runtime:8.0@${DIGEST}`,
      `mcr.microsoft.com/dotnet/runtime@${DIGEST}`,
      'mcr.microsoft.com/dotnet/aspnet',
      'mcr.microsoft.com/dotnet/aspnet:8.0',
      `mcr.microsoft.com/dotnet/aspnet@${PIN}`,
      `mcr.microsoft.com/dotnet/aspnet:8.0@${PIN}`,
      `mcr.microsoft.com/dotnet/aspnet:latest@${PIN}`,
      'mcr.microsoft.com/dotnet/sdk:8.0.100',
    ];

    for (const rule of rules) {
      // Act
      const written = images.map((image) => applyRule(rule, image));

      // Assess
      expect(written, rule.name).toEqual([
        [`${HOST}/mcr/dotnet/runtime:8.0`],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [`${HOST}/mcr/dotnet/aspnet`],
        [`${HOST}/mcr/dotnet/aspnet:8.0`],
        [`${HOST}/mcr/dotnet/aspnet@${PIN}`],
        [`${HOST}/mcr/dotnet/aspnet:8.0@${PIN}`],
        [],
        [],
      ]);
      for (const image of images) {
        const expected = rewriteImageReference(mcr, image);
        const result = applyRule(rule, image)[0] ?? image;
        if (expected.outcome === 'rewritten') expect(pulled(result), image).toBe(expected.output);
        else expect(result, image).toBe(image);
      }
    }
  });

  it('rewrites a Docker Hub copy prefix only for the allow-listed tags, official images included', () => {
    // Prepare
    const copyHub = configWithCaches([{ prefix: 'hub', upstream: 'docker.io', mode: 'copy', prepopulate: { images: [{ image: 'nginx', tags: ['1.27'] }] } }]);
    const [containers] = renderedPolicy(copyHub).spec.rules;

    // Act
    const written = ['nginx:1.27', 'nginx:1.28', 'nginx', 'docker.io/library/nginx:1.27-alpine', 'library/nginx:1x27'].map((image) => applyRule(containers!, image));

    // Assess
    expect(written).toEqual([[`${HOST}/hub/library/nginx:1.27`], [], [], [], []]);
  });

  it('leaves a copy prefix whose images have only { semver } or { regex } tags out of the policy, and says why', () => {
    // Prepare
    const selectorsOnly = configWithCaches([
      { prefix: 'mcr', upstream: 'mcr.microsoft.com', mode: 'copy', prepopulate: { images: [{ image: 'dotnet/sdk', tags: { regex: '8[.]0[.][0-9]+' } }] } },
    ]);

    // Act
    const { skipped, empty } = renderKyvernoPolicyYaml(selectorsOnly);

    // Assess
    expect(empty).toBe(true);
    expect(skipped).toEqual([
      {
        prefix: 'mcr',
        upstream: 'mcr.microsoft.com',
        reason: 'a copy prefix without allow-listed exact tags holds no image the policy can rewrite ({ semver } and { regex } tags are never rewritten)',
      },
    ]);
  });

  it('rewrites only the ephemeral containers the request adds', () => {
    // Prepare
    const ephemeral = renderedPolicy(config).spec.rules[2]!;

    // Act
    const added = applyRule(ephemeral, 'busybox:1.36', []);
    const existing = applyRule(ephemeral, 'busybox:1.36', ['c']);

    // Assess
    expect(added).toEqual([`${HOST}/docker-hub/library/busybox:1.36`]);
    expect(existing).toEqual([]);
    expect(ephemeral.mutate.foreach[0]?.preconditions.all).toContainEqual({
      key: '{{ element.name }}',
      operator: 'AnyNotIn',
      value: '{{ request.oldObject.spec.ephemeralContainers[].name || `[]` }}',
    });
  });

  it('keeps every pattern on one YAML line and writes no backslash that YAML or JMESPath could unescape', () => {
    // Act
    const { yaml } = renderKyvernoPolicyYaml(config);

    // Assess
    expect(yaml).not.toContain('\\');
    // Kyverno reads `$(...)` as a reference to another field of the policy.
    expect(yaml).not.toContain('$(');
    expect(yaml.split('\n').filter((line) => line.includes('regex_replace_all'))).toHaveLength(3 * 6);
    expect(yaml).toContain("regex_match('^registry[.]k8s[.]io/(.+)$', '{{element.image}}')");
  });

  it('leaves out an upstream no reference can name, and says why', () => {
    // Prepare
    const parsed = configWithCaches([
      { prefix: 'k8s', upstream: 'registry.k8s.io' },
      { prefix: 'odd', upstream: 'odd.example', mode: 'copy', prepopulate: { images: [{ image: 'a', tags: ['1'] }] } },
    ]);
    // The schema rejects such an upstream; the renderer must still leave it out of a configuration built in code.
    const odd = { ...parsed, pullThroughCache: parsed.pullThroughCache.map((entry) => (entry.prefix === 'odd' ? { ...entry, upstream: "https://evil.example/'{{x}}" } : entry)) };

    // Act
    const { yaml, skipped } = renderKyvernoPolicyYaml(odd);

    // Assess
    expect(skipped).toEqual([{ prefix: 'odd', upstream: "https://evil.example/'{{x}}", reason: 'the upstream is not a host name, so no image reference names it' }]);
    expect(yaml).not.toContain('evil');
  });
});
