import { createHash } from 'node:crypto';
import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import { CacheMode } from '@dockmaster/core/constants';
import { upstreamImagePath } from '@dockmaster/core/prepopulate';
import { parsePlatform } from '@dockmaster/registry/manifest';
import { buildImage, buildIndex, pushImage } from '@dockmaster/registry/oci';
import type { BuiltArtifact, BuiltImage, ImagePushTarget } from '@dockmaster/registry/oci';
import { sampleTags } from './tag-samples.js';
import type { SampleTag } from './tag-samples.js';

interface SeedUpstreamOptions {
  /** A client for the stand-in upstream registry (a RegistryClient does). */
  client: ImagePushTarget;
  prefixConfig: PullThroughCacheConfig;
  /** More tags per allow-listed image (keyed by the image as configured, e.g. `pause`), for cases the samples miss. */
  extraTags?: Readonly<Record<string, readonly string[]>>;
}

interface SeededImage {
  /** Repository on the upstream (`pause`, `library/nginx` for a Docker Hub official image). */
  repository: string;
  tag: string;
  /** Manifest digest; the index digest for a multi-platform image. */
  digest: string;
  /** `os/architecture[/variant]` of each image. */
  platforms: string[];
  /** Whether the allow-list entry selects the tag (samples outside a SemVer range or regex do not). */
  selected: boolean;
  /** The allow-list pin (`tag@sha256:...`). Generated images never have that digest: pin checks will report a mismatch. */
  pinnedDigest?: string;
}

interface SeedUpstreamResult {
  images: SeededImage[];
}

const DEFAULT_PLATFORM = 'linux/amd64';
/**
 * A copy takes an image whole, whatever `platforms` says, and the upstreams that need copying (mcr, gcr, nvcr)
 * mostly serve multi-platform images: copy-mode images are seeded as indexes of these unless `platforms` is given.
 */
const COPY_MODE_PLATFORMS = ['linux/amd64', 'linux/arm64/v8'];
/** The base layer is shared by every image of an upstream (per platform), so pushes skip it after the first. */
const BASE_LAYER_BYTES = 16 * 1024;
const APP_LAYER_BYTES = 1024;
/** registry.k8s.io and friends tag releases `v1.2.3`; most others `1.2.3`. */
const K8S_STYLE_UPSTREAM = /(^|\.)k8s\.io$|^k8s\.gcr\.io$|^gcr\.io$/;

function versionPrefixFor(upstream: string, image: string): string {
  return K8S_STYLE_UPSTREAM.test(upstream) || /(^|\/)kube/.test(image) ? 'v' : '';
}

/** A git-sha-shaped revision that depends only on what the image is, so digests stay deterministic. */
function revisionOf(identity: string): string {
  return createHash('sha1').update(identity).digest('hex');
}

function buildSeedImage(upstream: string, repository: string, tag: string, platform: string): BuiltImage {
  const identity = `${upstream}/${repository}:${tag}`;
  return buildImage({
    repositoryHint: identity,
    platform: parsePlatform(platform),
    labels: {
      'org.opencontainers.image.source': `https://${upstream}/${repository}`,
      'org.opencontainers.image.revision': revisionOf(identity),
      'org.opencontainers.image.version': tag,
      // Fixed, like the config's `created`: a clock here would change every digest on every run.
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
    },
    layers: [
      { seed: `upstream-base ${upstream} ${platform}`, size: BASE_LAYER_BYTES },
      { seed: `upstream-app ${identity} ${platform}`, size: APP_LAYER_BYTES },
    ],
  });
}

function buildSeedArtifact(upstream: string, repository: string, tag: string, platforms: readonly string[] | undefined): BuiltArtifact {
  if (platforms === undefined) return buildSeedImage(upstream, repository, tag, DEFAULT_PLATFORM);
  const identity = `${upstream}/${repository}:${tag}`;
  return buildIndex(
    platforms.map((platform) => buildSeedImage(upstream, repository, tag, platform)),
    { 'org.opencontainers.image.source': `https://${upstream}/${repository}`, 'org.opencontainers.image.revision': revisionOf(identity) },
  );
}

/**
 * Fills a stand-in upstream registry with generated images for every allow-list entry of one
 * pull-through-cache rule: exact tags as listed, and tags in and out of SemVer ranges and regexes so
 * tag selection has something to leave out. Entries with `platforms`, and every image of a copy-mode entry,
 * become multi-platform indexes.
 */
async function seedUpstream(options: SeedUpstreamOptions): Promise<SeedUpstreamResult> {
  const { upstream } = options.prefixConfig;
  const images: SeededImage[] = [];
  for (const entry of options.prefixConfig.prepopulate?.images ?? []) {
    const repository = upstreamImagePath(upstream, entry.image);
    const extra = (options.extraTags?.[entry.image] ?? []).map((tag): SampleTag => ({ tag, selected: false }));
    const samples = [...sampleTags(entry.tags, versionPrefixFor(upstream, entry.image)), ...extra];
    const platforms = entry.platforms ?? (options.prefixConfig.mode === CacheMode.Copy ? COPY_MODE_PLATFORMS : undefined);
    const seen = new Set<string>();
    for (const sample of samples) {
      if (seen.has(sample.tag)) continue;
      seen.add(sample.tag);
      const artifact = buildSeedArtifact(upstream, repository, sample.tag, platforms);
      const digest = await pushImage(options.client, repository, sample.tag, artifact);
      images.push({
        repository,
        tag: sample.tag,
        digest,
        platforms: platforms ?? [DEFAULT_PLATFORM],
        selected: sample.selected,
        ...(sample.pinnedDigest === undefined ? {} : { pinnedDigest: sample.pinnedDigest }),
      });
    }
  }
  return { images };
}

export { seedUpstream };
export type { SeededImage, SeedUpstreamOptions, SeedUpstreamResult };
