/*
 * Where an allow-listed image lives upstream and in the cache. Docker Hub keeps its official images
 * under `library/`: `nginx` is `library/nginx` on the registry API, and ECR's cache only finds it as
 * `<prefix>/library/nginx` (ecr-facts "PTC upstreams"; ecr-pitfalls 18: only official images, never
 * other nested paths).
 */

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
/** Docker Hub's registry API host: `docker.io` is only an alias clients rewrite. */
const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';

const isDockerHub = (upstream: string): boolean => DOCKER_HUB_HOSTS.has(upstream.toLowerCase());

/** The image's path on the upstream registry (and under the cache prefix): `library/` added for Docker Hub official images. */
const upstreamImagePath = (upstream: string, image: string): string =>
  isDockerHub(upstream) && !image.includes('/') ? `library/${image}` : image;

/** The cache repository an image lands in: `<prefix>/<upstream image path>`. */
const cacheRepositoryFor = (rule: { prefix: string; upstream: string }, image: string): string =>
  `${rule.prefix}/${upstreamImagePath(rule.upstream, image)}`;

type UpstreamRepository = {
  /** Registry API host, e.g. registry.k8s.io or registry-1.docker.io. */
  registry: string;
  /** Repository path on that registry, e.g. pause or library/nginx. */
  repository: string;
  /** registry/repository, e.g. registry.k8s.io/pause. */
  reference: string;
};

/** The registry API host of an upstream: itself, or registry-1.docker.io for Docker Hub's aliases. */
const upstreamRegistryHost = (upstream: string): string => (isDockerHub(upstream) ? DOCKER_HUB_REGISTRY : upstream);

/** Where a warm target's image lives upstream (to compare digests without going through the cache, and to copy from). */
const upstreamRepositoryFor = (target: { upstream: string; image: string }): UpstreamRepository => {
  const registry = upstreamRegistryHost(target.upstream);
  const repository = upstreamImagePath(target.upstream, target.image);
  return { registry, repository, reference: `${registry}/${repository}` };
};

export { cacheRepositoryFor, isDockerHub, upstreamImagePath, upstreamRegistryHost, upstreamRepositoryFor };
export type { UpstreamRepository };
