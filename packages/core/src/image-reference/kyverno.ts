import { stringify } from 'yaml';
import { CONTAINER_LISTS, type ContainerList } from './constants.js';
import { DEFAULT_TAG } from './constants.js';
import { rewriteTargets, type CopiedImage, type RewriteConfig, type RewriteTarget } from './targets.js';

/*
 * The Kyverno ClusterPolicy that sends Pods' image pulls to the cache, generated from the configured prefixes
 * (seed 004 writes it by hand for registry.k8s.io; generated, the policy and the config cannot drift apart).
 *
 * It matches and rewrites the image *text* (`element.image`) with regex_match / regex_replace_all, as Kyverno's
 * replace-image-registry sample does, rather than the `images` context variable: that variable's `path` has
 * changed between Kyverno releases (some add `library/` to every one-component path, registry.k8s.io/pause
 * included), and it holds either the tag or the digest of `name:tag@digest`, so a rewrite built from it can lose
 * the tag (kyverno#11143, #11861). Patterns are RE2 (Go's regexp) and written without backslashes (`[.]`), so
 * neither YAML nor JMESPath string escaping can change them.
 */

const KYVERNO_API_VERSION = 'kyverno.io/v1';
const POLICY_NAME = 'dockmaster-pull-through-cache';
/** Subresource matching (`Pod/ephemeralcontainers`) needs Kyverno 1.10 or later. */
const KYVERNO_MIN_VERSION = '1.10.0';
/** Docker Hub written with a host: `docker.io/`, `index.docker.io/` or `registry-1.docker.io/`. */
const DOCKER_HUB_HOST = '(?:index[.]|registry-1[.])?docker[.]io/';
/** An upstream the policy can match: a lowercase host name with an optional port (nothing a pattern must escape but "."). */
const PLAIN_HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$/;

type Condition = { key: string; operator: string; value: unknown };
/** One way an image of a target can be written: matched by `regex`, rewritten to `replacement` ($1: path and tag/digest). */
type ImagePattern = { regex: string; replacement: string; unless?: string };

/** Tags are letters, digits, "_", "-" and "."; digests `sha256:<hex>`: "." is the only character RE2 reads specially. */
const literal = (text: string): string => text.replaceAll('.', '[.]');

/**
 * What may follow one image's path in a `copy` prefix: one of its allow-listed exact tags, or a digest the
 * allow-list pins (alone or after its tag). No tag means `latest`, so the bare path matches only when `latest` is
 * listed. The same rule as rewrite-image's copyRefusal; images with only `{ semver }` / `{ regex }` tags get none.
 */
const copiedSuffix = (copied: CopiedImage): string | undefined => {
  const parts = [
    ...(copied.tags.length === 0 ? [] : [`:(?:${copied.tags.map(literal).join('|')})`]),
    ...copied.pins.map((pin) => `(?::${literal(pin.tag)})?@${pin.digest}`),
  ];
  if (parts.length === 0) return undefined;
  return `(?:${parts.join('|')})${copied.tags.includes(DEFAULT_TAG) ? '?' : ''}`;
};

/** The allow-listed images of a copy prefix with their tags, as one RE2 alternation; `name` maps the cache path to the path as written. */
const copiedAlternatives = (copied: CopiedImage[], name: (image: string) => string | undefined): string | undefined => {
  const each = copied.flatMap((image) => {
    const path = name(image.image);
    const suffix = copiedSuffix(image);
    return path === undefined || suffix === undefined ? [] : [`${literal(path)}${suffix}`];
  });
  return each.length === 0 ? undefined : `(?:${each.join('|')})`;
};

/** The ways images of one target are written. A `copy` prefix holds only its allow-listed images and tags: only those are rewritten. */
const imagePatterns = (target: RewriteTarget): ImagePattern[] => {
  const base = target.cacheBase;
  const copy = target.mode === 'copy';
  const asListed = copy ? copiedAlternatives(target.copied, (image) => image) : undefined;
  if (copy && asListed === undefined) return [];
  if (!target.dockerHub) {
    const path = asListed ?? '.+';
    return [{ regex: `^${literal(target.registry)}/(${path})$`, replacement: `${base}/$1` }];
  }
  const officialName = (image: string): string | undefined => (image.startsWith('library/') && image.split('/').length === 2 ? image.slice('library/'.length) : undefined);
  const officialPath = copy ? copiedAlternatives(target.copied, officialName) : '[^/]+';
  const namespaced = asListed ?? '[^/]+/.+';
  return [
    // nginx:1.27, docker.io/nginx: an official image, under library/ in the cache.
    ...(officialPath === undefined ? [] : [{ regex: `^(?:${DOCKER_HUB_HOST})?(${officialPath})$`, replacement: `${base}/library/$1` }]),
    // docker.io/bitnami/redis, docker.io/library/nginx: the path as written.
    { regex: `^${DOCKER_HUB_HOST}(${namespaced})$`, replacement: `${base}/$1` },
    // bitnami/redis: a first component without "." or ":" is a Docker Hub namespace, except localhost.
    { regex: `^(${copy ? namespaced : `[a-z0-9_-]+/.+`})$`, replacement: `${base}/$1`, unless: '^localhost/' },
  ];
};

const matches = (regex: string, expected: boolean): Condition => ({
  key: `{{ regex_match('${regex}', '{{element.image}}') }}`,
  operator: 'Equals',
  value: expected,
});

const RULE_NAMES: Record<ContainerList, string> = {
  containers: 'rewrite-containers',
  initContainers: 'rewrite-initcontainers',
  ephemeralContainers: 'rewrite-ephemeralcontainers',
};

/**
 * One rule per container list. Containers and init containers are rewritten when a Pod is created only: on an
 * update, a changed image would restart a running container. Ephemeral containers are added through the
 * `pods/ephemeralcontainers` subresource (an UPDATE); only the ones that request adds are rewritten, because the
 * API server refuses changes to ephemeral containers that already exist.
 */
const ruleFor = (list: ContainerList, patterns: ImagePattern[]): Record<string, unknown> => {
  const ephemeral = list === 'ephemeralContainers';
  const preconditions: Condition[] = [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: 'AnyIn', value: [ephemeral ? 'UPDATE' : 'CREATE'] }];
  if (list !== 'containers') {
    preconditions.push({ key: `{{ request.object.spec.${list}[] || \`[]\` | length(@) }}`, operator: 'GreaterThanOrEquals', value: 1 });
  }
  const onlyAdded: Condition[] = ephemeral
    ? [{ key: '{{ element.name }}', operator: 'AnyNotIn', value: '{{ request.oldObject.spec.ephemeralContainers[].name || `[]` }}' }]
    : [];
  return {
    name: RULE_NAMES[list],
    match: { any: [{ resources: { kinds: [ephemeral ? 'Pod/ephemeralcontainers' : 'Pod'] } }] },
    preconditions: { all: preconditions },
    mutate: {
      foreach: patterns.map((pattern) => ({
        list: `request.object.spec.${list}`,
        preconditions: { all: [matches(pattern.regex, true), ...(pattern.unless === undefined ? [] : [matches(pattern.unless, false)]), ...onlyAdded] },
        patchStrategicMerge: {
          spec: { [list]: [{ name: '{{ element.name }}', image: `{{ regex_replace_all('${pattern.regex}', '{{element.image}}', '${pattern.replacement}') }}` }] },
        },
      })),
    },
  };
};

type KyvernoRendering = {
  policy: Record<string, unknown>;
  /** Upstreams no image reference can name (not a plain host name): left out, with the reason. */
  skipped: { prefix: string; upstream: string; reason: string }[];
  /** No prefix to rewrite to: the policy has no rule. */
  empty: boolean;
};

/** The ClusterPolicy as an object, and what was left out of it. */
const renderKyvernoPolicy = (config: RewriteConfig): KyvernoRendering => {
  const skipped: KyvernoRendering['skipped'] = [];
  const patterns: ImagePattern[] = [];
  const covered: string[] = [];
  for (const target of rewriteTargets(config)) {
    if (!PLAIN_HOST.test(target.registry)) {
      skipped.push({ prefix: target.prefix, upstream: target.upstream, reason: 'the upstream is not a host name, so no image reference names it' });
      continue;
    }
    const own = imagePatterns(target);
    if (own.length === 0) {
      skipped.push({ prefix: target.prefix, upstream: target.upstream, reason: 'a copy prefix without allow-listed exact tags holds no image the policy can rewrite ({ semver } and { regex } tags are never rewritten)' });
      continue;
    }
    patterns.push(...own);
    covered.push(`${target.dockerHub ? 'Docker Hub' : target.registry} -> ${target.prefix}/${target.mode === 'copy' ? ' (allow-listed images and tags only)' : ''}`);
  }
  const policy = {
    apiVersion: KYVERNO_API_VERSION,
    kind: 'ClusterPolicy',
    metadata: {
      name: POLICY_NAME,
      annotations: {
        'policies.kyverno.io/title': 'Pull upstream images through the ECR pull-through cache',
        'policies.kyverno.io/category': 'EKS Best Practices',
        'policies.kyverno.io/severity': 'medium',
        'policies.kyverno.io/subject': 'Pod',
        'policies.kyverno.io/minversion': KYVERNO_MIN_VERSION,
        // Pods only: rewriting Deployments' templates would show as drift to GitOps tools.
        'pod-policies.kyverno.io/autogen-controllers': 'none',
        'policies.kyverno.io/description': `Generated by dockmaster render-rewrite; regenerate it instead of editing. Rewrites images of containers, init containers and ephemeral containers: ${covered.join(', ') || 'no upstream configured'}.`,
      },
    },
    spec: {
      background: false,
      rules: patterns.length === 0 ? [] : CONTAINER_LISTS.map((list) => ruleFor(list, patterns)),
    },
  };
  return { policy, skipped, empty: patterns.length === 0 };
};

/** The policy as YAML for `kubectl apply -f`: no folded lines, so every pattern stays on one line as written. */
const renderKyvernoPolicyYaml = (config: RewriteConfig): Omit<KyvernoRendering, 'policy'> & { yaml: string } => {
  const { policy, skipped, empty } = renderKyvernoPolicy(config);
  return { yaml: stringify(policy, { lineWidth: 0 }), skipped, empty };
};

export { KYVERNO_API_VERSION, POLICY_NAME, renderKyvernoPolicy, renderKyvernoPolicyYaml };
export type { KyvernoRendering };
