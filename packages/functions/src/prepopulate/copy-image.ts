import { planWarm, upstreamRepositoryFor, type WarmTarget } from '@dockmaster/core/prepopulate';
import { formatPlatform, isImageIndex, isIndexMediaType, type RegistryClient, RegistryError } from '@dockmaster/registry';
import { syncRepositories, type SyncRegistry } from '@dockmaster/registry/sync';
import { UpstreamCredentialsError } from '../adapters/upstream-endpoint.js';
import { classifyWarmFailure, type FailureRun, pinMovedFailure, upstreamCredentialsFailure, type WarmFailure, WarmFailureReason, warmFailure } from './warm-failure.js';
import type { WarmImageResult } from './warm-image.js';

type CopyImageInput = {
  /**
   * The entry's upstream registry (`https://<host>`), logged in with its secret when it has one. Throws
   * UpstreamCredentialsError when the secret cannot be used: that is reported as an access-denied failure.
   */
  upstream: () => Promise<SyncRegistry>;
  /** The configured registry (ECR's endpoint, logged in): where the copy goes. */
  registry: SyncRegistry & Pick<RegistryClient, 'getManifest'>;
  /**
   * Creates `target.repository` when it is missing, with the entry's settings. Called only when something has
   * to be copied; a failure it can explain (no permission) comes back as a WarmFailure, anything else is thrown.
   */
  ensureRepository: () => Promise<WarmFailure | undefined>;
  target: WarmTarget;
  tag: string;
  /** The digest the allow-list pins the tag to; nothing is copied when upstream points elsewhere. */
  pinnedDigest?: string;
  /** The digest copied for this tag last time: an unchanged tag costs one upstream HEAD and nothing else. */
  lastWarmedDigest?: string;
  /** Blob transfers (and images) at once for this copy. */
  concurrency: number;
  /** Who reports a failure (the worker when absent): the CLI's messages say to rerun it, not to wait. */
  run?: FailureRun;
};

/** The platforms of an index as `os/arch[/variant]`, read back from the registry it was copied into. */
const platformsOf = async (registry: CopyImageInput['registry'], repository: string, digest: string, mediaType: string): Promise<string[]> => {
  if (!isIndexMediaType(mediaType)) return [];
  const { manifest } = await registry.getManifest(repository, digest);
  return isImageIndex(manifest) ? manifest.manifests.flatMap((child) => (child.platform ? [formatPlatform(child.platform)] : [])) : [];
};

/**
 * Copies one upstream tag into the configured registry (copy mode), digest preserved, with the sync engine:
 * a multi-platform image whole (every child manifest, then the index), blobs the repository already has
 * skipped, the rest streamed from the upstream straight into the upload.
 *
 * First a HEAD at the upstream: when it shows the digest copied last time, nothing else is requested (no
 * write, no request to the registry). A pinned tag is copied only while upstream points it at the pin; the
 * engine then copies exactly the digest that HEAD saw, so a tag that moves meanwhile cannot slip past the pin.
 * Registry failures (after the clients' retries, which honour Retry-After) come back classified, not thrown.
 */
const copyImage = async (input: CopyImageInput): Promise<WarmImageResult> => {
  const { registry, target, tag, pinnedDigest, lastWarmedDigest } = input;
  const source = upstreamRepositoryFor(target);
  const subject = { repository: target.repository, tag, upstream: target.upstream, mode: target.mode, ...(input.run === undefined ? {} : { run: input.run }) };
  let upstream: SyncRegistry;
  try {
    upstream = await input.upstream();
  } catch (error) {
    if (error instanceof UpstreamCredentialsError) return { status: 'failed', failure: upstreamCredentialsFailure(target, tag, error, input.run) };
    throw error;
  }
  try {
    const head = await upstream.headManifest(source.repository, tag);
    if (head === null) {
      return {
        status: 'failed',
        failure: warmFailure(
          WarmFailureReason.MissingUpstream,
          `Copying ${target.repository}:${tag} failed: ${source.reference}:${tag} does not exist. Fix or remove the tag in the prepopulate allow-list of the Dockmaster config.`,
        ),
      };
    }
    const plan = planWarm({
      target,
      resolvedTags: [{ tag, ...(pinnedDigest === undefined ? {} : { pinnedDigest }) }],
      lastWarmed: lastWarmedDigest === undefined ? {} : { [tag]: lastWarmedDigest },
      currentDigests: { [tag]: head.digest },
    });
    if (plan.unchanged[0]) return { status: 'unchanged', digest: head.digest };
    if (plan.pinMismatch[0]) return { status: 'failed', digest: head.digest, failure: pinMovedFailure(target, tag, { pinnedDigest, upstreamDigest: head.digest }) };

    const refused = await input.ensureRepository();
    if (refused !== undefined) return { status: 'failed', digest: head.digest, failure: refused };
    const report = await syncRepositories({
      source: upstream,
      target: registry,
      repositories: [{ source: source.repository, target: target.repository, tags: [{ tag, digest: head.digest }] }],
      concurrency: input.concurrency,
    });
    const [copied] = report.images;
    if (copied === undefined) throw new Error(`internal: the sync engine reported no result for ${target.repository}:${tag}`);
    if (copied.status === 'failed') {
      return { status: 'failed', digest: head.digest, failure: classifyWarmFailure({ message: copied.error, code: copied.code ?? 'UNKNOWN', status: copied.httpStatus }, subject) };
    }
    return {
      status: 'warmed',
      reason: plan.warm[0]?.reason ?? 'digest-unknown',
      digest: copied.digest,
      mediaType: head.mediaType,
      bytes: report.bytesUploaded,
      blobs: report.blobsUploaded + report.blobsMounted,
      platforms: await platformsOf(registry, target.repository, copied.digest, head.mediaType),
    };
  } catch (error) {
    if (error instanceof RegistryError) return { status: 'failed', failure: classifyWarmFailure(error, subject) };
    throw error;
  }
};

export { copyImage };
export type { CopyImageInput };
