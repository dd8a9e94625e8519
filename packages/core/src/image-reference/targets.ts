import type { DockmasterConfig } from '../config/index.js';
import { parsePinnedTag } from '../config/index.js';
import { pullThroughUpstreamUrl } from '../config/pull-through-upstreams.js';
import type { CacheMode } from '../constants.js';
import { isDockerHub, upstreamRegistryHost } from '../prepopulate/upstream.js';
import { ecrRegistryHost } from './registry-host.js';

type RewriteConfig = Pick<DockmasterConfig, 'registry' | 'pullThroughCache'>;

/**
 * What a `copy` prefix holds of one allow-listed image: the exact tags it copies and the digests pinned to them.
 * Tags chosen by `{ semver }` or `{ regex }` depend on the upstream's tag list at copy time; the Kyverno policy
 * (RE2 over the image text) cannot evaluate a SemVer range, and a user regex cannot be embedded without escaping
 * it, so those tags are never rewritten (`selectors` names them for the reason).
 */
type CopiedImage = {
  image: string;
  tags: string[];
  pins: { tag: string; digest: string }[];
  selectors: ('semver' | 'regex')[];
};

/** Where images of one upstream registry are pulled from instead: one per upstream, shared by every output format. */
type RewriteTarget = {
  prefix: string;
  /** As configured (`docker.io`, `registry.k8s.io`). */
  upstream: string;
  /** The upstream's registry API host, lowercase: what references are matched on (`registry-1.docker.io` for Docker Hub). */
  registry: string;
  dockerHub: boolean;
  mode: CacheMode;
  /** The allow-list per image (configured paths, `library/` added for Docker Hub), in first-listed order: only these tags (and pinned digests) exist in a `copy` prefix. */
  copied: CopiedImage[];
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`: the prefix's place in the registry. */
  cacheBase: string;
};

/** The registry host a reference's registry is matched on: Docker Hub's aliases are one registry. */
/** The allow-list entries of one prefix grouped by image path (an image may be listed more than once). */
const copiedImages = (images: { image: string; tags: string[] | { semver: string } | { regex: string } }[], dockerHub: boolean): CopiedImage[] => {
  const byImage = new Map<string, CopiedImage>();
  for (const entry of images) {
    const image = dockerHub && !entry.image.includes('/') ? `library/${entry.image}` : entry.image;
    const copied = byImage.get(image) ?? { image, tags: [], pins: [], selectors: [] };
    byImage.set(image, copied);
    if (!Array.isArray(entry.tags)) {
      copied.selectors.push('semver' in entry.tags ? 'semver' : 'regex');
      continue;
    }
    for (const value of entry.tags) {
      const { tag, digest } = parsePinnedTag(value);
      if (!copied.tags.includes(tag)) copied.tags.push(tag);
      if (digest !== undefined) copied.pins.push({ tag, digest });
    }
  }
  return [...byImage.values()];
};

const matchKey = (registry: string): string => upstreamRegistryHost(registry.trim().toLowerCase());

/**
 * One target per upstream registry, in config order. Two prefixes may cache the same upstream (for example with
 * different credentials); the first one in the file is where clusters pull from, in every output alike.
 */
const rewriteTargets = (config: RewriteConfig): RewriteTarget[] => {
  const host = ecrRegistryHost(config.registry);
  const seen = new Set<string>();
  const targets: RewriteTarget[] = [];
  for (const rule of config.pullThroughCache) {
    const registry = matchKey(rule.upstream);
    // A prefix that caches this very registry would rewrite the cache's own references again.
    if (seen.has(registry) || registry === host) continue;
    seen.add(registry);
    const dockerHub = isDockerHub(rule.upstream.trim());
    targets.push({
      prefix: rule.prefix,
      upstream: rule.upstream,
      registry,
      dockerHub,
      mode: rule.mode,
      copied: copiedImages(rule.prepopulate?.images ?? [], dockerHub),
      cacheBase: `${host}/${rule.prefix}`,
    });
  }
  return targets;
};

/** Where an allow-list entry is added: the config key a refusal names. */
const allowListKey = (target: RewriteTarget): string => `prepopulate.images of the pullThroughCache entry with prefix ${target.prefix}`;

/**
 * Why a `copy` prefix cannot serve `path` with this tag and digest, or undefined when it can. A copy prefix holds
 * only its allow-listed images and exact tags. A digest is only known offline when the allow-list pins a tag to it
 * ("8.0@sha256:..."): the copy verifies that pin; any other digest may or may not be what a tag was copied as.
 */
const copyRefusal = (target: RewriteTarget, path: string, tag: string | undefined, digest: string | undefined): string | undefined => {
  const where = allowListKey(target);
  const shown = tag ?? (digest === undefined ? 'latest' : undefined);
  const copied = target.copied.find((candidate) => candidate.image === path);
  const entry = `{ image: ${path}, tags: [${JSON.stringify(shown === undefined ? `<tag>@${digest}` : digest === undefined ? shown : `${shown}@${digest}`)}] }`;
  if (!copied) return `copy prefix ${target.prefix} holds only its allow-listed images and ${path} is not one of them: add ${entry} to ${where}`;
  if (digest !== undefined) {
    const pinned = copied.pins.some((pin) => pin.digest === digest && (tag === undefined || pin.tag === tag));
    if (pinned) return undefined;
    return `copy prefix ${target.prefix} rewrites a digest of ${path} only when the allow-list pins a tag to it ("<tag>@${digest}" in ${where}): the digest of an unpinned copy cannot be checked offline`;
  }
  const wanted = shown ?? 'latest';
  if (copied.tags.includes(wanted)) return undefined;
  const listed = copied.tags.length === 0 ? 'no exact tags' : `only the tags ${copied.tags.join(', ')}`;
  const selectors = copied.selectors.length === 0 ? '' : ` (tags chosen by ${[...new Set(copied.selectors)].join(' or ')} are not rewritten: neither rewrite-image nor the Kyverno policy can check them offline)`;
  return `copy prefix ${target.prefix} holds ${listed} of ${path}${selectors}: add "${wanted}" to the tags of ${path} in ${where}`;
};

/** The `upstream` to write in a new pullThroughCache entry for a registry (ECR's name for Docker Hub). */
const upstreamToConfigure = (registry: string): string => pullThroughUpstreamUrl(registry.toLowerCase());

export { copyRefusal, matchKey, rewriteTargets, upstreamToConfigure };
export type { CopiedImage, RewriteConfig, RewriteTarget };
