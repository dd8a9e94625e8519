import { planWarm, type WarmReason, type WarmTarget } from '@dockmaster/core/prepopulate';
import {
  type Descriptor,
  formatPlatform,
  isImageIndex,
  type ManifestDocument,
  type RegistryClient,
  RegistryError,
  selectPlatformManifests,
} from '@dockmaster/registry';
import type { Limiter } from '../runtime/concurrency.js';
import { classifyWarmFailure, type FailureRun, pinMovedFailure, type WarmFailure, WarmFailureReason, warmFailure } from './warm-failure.js';

type WarmImageInput = {
  /** A client for the cache's registry endpoint (ECR's, logged in). */
  client: RegistryClient;
  target: WarmTarget;
  tag: string;
  /** Platforms to warm from an index; every platform when absent. */
  platforms?: readonly string[];
  /** The digest the allow-list pins the tag to; nothing is warmed when upstream points elsewhere. */
  pinnedDigest?: string;
  /** The digest this tag had at its last successful warm: an unchanged tag costs one HEAD and nothing else. */
  lastWarmedDigest?: string;
  /** Bounds blob downloads per upstream; shared by every warm of the same upstream. */
  blobLimiter: Limiter;
  /** Who reports a failure (the worker when absent): the CLI's messages say to rerun it, not to wait. */
  run?: FailureRun;
  /** Called after each blob, for progress displays. */
  onBlob?: (progress: { done: number; total: number; bytes: number }) => void;
};

type WarmedImage = {
  status: 'warmed';
  reason: WarmReason;
  digest: string;
  mediaType: string;
  /** Bytes of every config and layer blob drained (manifests not counted). */
  bytes: number;
  /** Distinct config and layer blobs drained. */
  blobs: number;
  /** The platforms warmed from an index; [] for a single-platform image. */
  platforms: string[];
};

type WarmImageResult =
  | WarmedImage
  | { status: 'unchanged'; digest: string }
  | { status: 'failed'; failure: WarmFailure; digest?: string };

/** The image manifests a warm covers: the manifest itself, or the selected platforms of an index. */
const imageManifestsOf = async (
  client: RegistryClient,
  repository: string,
  top: ManifestDocument,
  platforms: readonly string[] | undefined,
): Promise<{ manifests: ManifestDocument[]; platforms: string[] } | { missing: string }> => {
  if (!isImageIndex(top)) return { manifests: [top], platforms: [] };
  const selected = selectPlatformManifests(top, platforms);
  if (selected.length === 0) {
    const available = top.manifests.flatMap((child) => (child.platform ? [formatPlatform(child.platform)] : []));
    return { missing: `the index has none of the platforms ${platforms?.join(', ')} (it has ${available.join(', ') || 'no platforms'})` };
  }
  const manifests: ManifestDocument[] = [];
  for (const child of selected) {
    // By digest: the index was pulled by tag, and ECR caches an index's children with it.
    const fetched = await client.getManifest(repository, child.digest);
    // A nested index is rare and only ever one level deep in practice; its own children are pulled too.
    if (isImageIndex(fetched.manifest)) {
      for (const grandchild of fetched.manifest.manifests) manifests.push((await client.getManifest(repository, grandchild.digest)).manifest);
    } else {
      manifests.push(fetched.manifest);
    }
  }
  return { manifests, platforms: selected.flatMap((child) => (child.platform ? [formatPlatform(child.platform)] : [])) };
};

const blobsOf = (manifests: readonly ManifestDocument[]): Descriptor[] => {
  const byDigest = new Map<string, Descriptor>();
  for (const manifest of manifests) {
    if (isImageIndex(manifest)) continue;
    for (const blob of [manifest.config, ...manifest.layers]) byDigest.set(blob.digest, blob);
  }
  return [...byDigest.values()];
};

/**
 * Warms one tag the way a cluster's pull would, so the pull-through cache fetches and stores it: the
 * manifest by TAG (ECR does not fill the cache on a first pull by digest, ecr-pitfalls 5), the selected
 * platform manifests of an index, then every config and layer blob, drained with its digest verified
 * (layers must be pulled too: uncached ones are redirected upstream, ecr-pitfalls 6).
 *
 * First a HEAD: when upstream still has the digest of the last warm, nothing else is requested.
 * Registry failures (after the client's retries) come back as classified failures, not exceptions.
 */
const warmImage = async (input: WarmImageInput): Promise<WarmImageResult> => {
  const { client, target, tag, pinnedDigest, lastWarmedDigest, platforms, blobLimiter } = input;
  const repository = target.repository;
  const subject = { repository, tag, upstream: target.upstream, ...(input.run === undefined ? {} : { run: input.run }) };
  try {
    // A HEAD answer has no body: when it is refused, the GET below is refused too and says why (ECR names a
    // failed login to the upstream there, which cache health reports apart from the worker's own permissions).
    const head = await client.headManifest(repository, tag).catch((error: unknown) => {
      if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) return null;
      throw error;
    });
    const plan = planWarm({
      target,
      resolvedTags: [{ tag, ...(pinnedDigest === undefined ? {} : { pinnedDigest }) }],
      lastWarmed: lastWarmedDigest === undefined ? {} : { [tag]: lastWarmedDigest },
      currentDigests: head === null ? {} : { [tag]: head.digest },
    });
    const unchanged = plan.unchanged[0];
    if (unchanged) return { status: 'unchanged', digest: unchanged.digest };
    const mismatch = plan.pinMismatch[0];
    const pinMoved = (upstreamDigest: string): WarmImageResult => ({
      status: 'failed',
      digest: upstreamDigest,
      failure: pinMovedFailure(target, tag, { pinnedDigest, upstreamDigest }),
    });
    if (mismatch) return pinMoved(mismatch.upstreamDigest);
    const reason = plan.warm[0]?.reason ?? 'digest-unknown';

    const top = await client.getManifest(repository, tag);
    // The HEAD may have failed or raced with a re-tag: the pin is checked on what was actually pulled.
    if (pinnedDigest !== undefined && top.digest !== pinnedDigest) return pinMoved(top.digest);
    const images = await imageManifestsOf(client, repository, top.manifest, platforms);
    if ('missing' in images) {
      return { status: 'failed', digest: top.digest, failure: warmFailure(WarmFailureReason.MissingUpstream, `Warming ${repository}:${tag}: ${images.missing}. Fix the platforms of this image in the prepopulate allow-list.`) };
    }

    const blobs = blobsOf(images.manifests);
    let done = 0;
    let bytes = 0;
    // allSettled, not all: a failed blob must not leave the others streaming unobserved after we return.
    const drained = await Promise.allSettled(
      blobs.map((blob) =>
        blobLimiter(async () => {
          const result = await client.drainBlob(repository, blob.digest, { expectedSize: blob.size });
          done += 1;
          bytes += result.bytes;
          input.onBlob?.({ done, total: blobs.length, bytes });
          return result;
        }),
      ),
    );
    const failed = drained.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return { status: 'warmed', reason, digest: top.digest, mediaType: top.mediaType, bytes, blobs: blobs.length, platforms: images.platforms };
  } catch (error) {
    if (error instanceof RegistryError) return { status: 'failed', failure: classifyWarmFailure(error, subject) };
    throw error;
  }
};

export { warmImage };
export type { WarmedImage, WarmImageInput, WarmImageResult };
