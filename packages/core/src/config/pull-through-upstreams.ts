/*
 * The upstream registries ECR's pull-through cache can sync from (ECR user guide, "Sync an upstream registry
 * with an Amazon ECR private registry"), and which of them need a Secrets Manager secret. AWS adds upstreams
 * now and then, so an upstream missing here is a warning, never an error.
 */

interface PullThroughUpstream {
  /** How people call it, for messages. */
  name: string;
  /** The host to write as `upstream`, for messages. */
  host: string;
  matches: RegExp;
  /** ECR authenticates to it only with a secret named ecr-pullthroughcache/<name>. */
  needsCredentials: boolean;
}

const PULL_THROUGH_UPSTREAMS: readonly PullThroughUpstream[] = [
  { name: 'ECR Public', host: 'public.ecr.aws', matches: /^public\.ecr\.aws$/, needsCredentials: false },
  { name: 'Kubernetes', host: 'registry.k8s.io', matches: /^registry\.k8s\.io$/, needsCredentials: false },
  { name: 'Quay', host: 'quay.io', matches: /^quay\.io$/, needsCredentials: false },
  { name: 'Docker Hub', host: 'registry-1.docker.io', matches: /^(registry-1\.|index\.)?docker\.io$/, needsCredentials: true },
  { name: 'GitHub Container Registry', host: 'ghcr.io', matches: /^ghcr\.io$/, needsCredentials: true },
  { name: 'Azure Container Registry', host: '<name>.azurecr.io', matches: /\.azurecr\.io$/, needsCredentials: true },
  { name: 'GitLab Container Registry', host: 'registry.gitlab.com', matches: /^registry\.gitlab\.com$/, needsCredentials: true },
  { name: 'Chainguard', host: 'cgr.dev', matches: /^cgr\.dev$/, needsCredentials: true },
  {
    name: 'private ECR',
    host: '<account>.dkr.ecr.<region>.amazonaws.com',
    matches: /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/,
    needsCredentials: false,
  },
];

/** The pull-through cache's entry for an upstream host, or undefined when ECR cannot cache it. */
const pullThroughUpstream = (upstream: string): PullThroughUpstream | undefined =>
  PULL_THROUGH_UPSTREAMS.find((candidate) => candidate.matches.test(upstream.toLowerCase()));

/** `ECR Public (public.ecr.aws), Kubernetes (registry.k8s.io), ...`, for messages. */
const describePullThroughUpstreams = (): string => PULL_THROUGH_UPSTREAMS.map((upstream) => `${upstream.name} (${upstream.host})`).join(', ');

/**
 * The upstream URL to send to CreatePullThroughCacheRule. ECR documents Docker Hub as `registry-1.docker.io`
 * and rejects the aliases people write (`docker.io`, `index.docker.io`), which the configuration accepts.
 */
const pullThroughUpstreamUrl = (upstream: string): string => (/^(index\.)?docker\.io$/i.test(upstream.trim()) ? 'registry-1.docker.io' : upstream);

/** The account of a private ECR upstream (`<account>.dkr.ecr.<region>.amazonaws.com`), undefined for other upstreams. */
const ecrUpstreamAccount = (upstream: string): string | undefined => /^(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i.exec(upstream.trim())?.[1];

/** One DNS label: letters, digits and inner hyphens, at most 63 characters. */
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_HOST_LENGTH = 253;
const MAX_PORT = 65535;
const HOST_ONLY = 'must be a host name only, optionally with :port (for example registry.k8s.io or registry.example.com:5000)';

/**
 * Why `upstream` is not a registry host (DNS name, optional :port), with the fix; undefined when it is. ECR's
 * CreatePullThroughCacheRule and the copy worker's `docker://<host>/<image>` both take the bare host: a URL or a
 * trailing '/' would fail at deploy or on every copy, and would slip past the credential rule above.
 */
const upstreamHostProblem = (upstream: string): string | undefined => {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(upstream)?.[0];
  if (scheme !== undefined) return `${HOST_ONLY}: drop the scheme (${scheme})`;
  if (upstream.endsWith('/') && !upstream.slice(0, -1).includes('/')) return `${HOST_ONLY}: drop the trailing slash`;
  if (upstream.includes('/')) return `${HOST_ONLY}: drop the path (everything from the first /); image paths go in prepopulate.images[].image`;
  const [host = '', port, ...extra] = upstream.split(':');
  const portOk = port === undefined || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= MAX_PORT);
  const hostOk = host.length <= MAX_HOST_LENGTH && host.split('.').every((label) => HOST_LABEL.test(label));
  if (extra.length > 0 || !portOk || !hostOk) return `${HOST_ONLY}: letters, digits, - and . separated labels, then an optional :1-65535`;
  return undefined;
};

/** Name prefix ECR's pull-through cache requires of the secrets it reads. */
const PULL_THROUGH_SECRET_PREFIX = 'ecr-pullthroughcache/';

/**
 * ECR's quota "Pull through cache rules per registry": 50 in each Region, not adjustable
 * (Amazon ECR service quotas). Every `mode: cache` entry is one rule.
 */
const PULL_THROUGH_CACHE_RULES_PER_REGISTRY = 50;

export { describePullThroughUpstreams, upstreamHostProblem, ecrUpstreamAccount, PULL_THROUGH_CACHE_RULES_PER_REGISTRY, PULL_THROUGH_SECRET_PREFIX, PULL_THROUGH_UPSTREAMS, pullThroughUpstream, pullThroughUpstreamUrl };
export type { PullThroughUpstream };
