import { type CacheMode, DockmasterEventType } from '@dockmaster/core/constants';
import { type RenderedMessage, renderPrepopulationFailedMessage } from '@dockmaster/core/notifications';
import type { WarmReason, WarmTarget } from '@dockmaster/core/prepopulate';
import type { DockmasterEvent } from '../adapters/dockmaster-bus.js';
import type { WarmFailure, WarmFailureReason } from './warm-failure.js';
import type { WarmedImage } from './warm-image.js';

/** `mode`: `cache` for a warm through the pull-through cache, `copy` for a copy from the upstream. */
type ImageIdentity = { repository: string; prefix: string; upstream: string; image: string; tag: string; mode: CacheMode };

/** Detail of `Image Prepopulated`. */
type ImagePrepopulatedDetail = ImageIdentity & {
  digest: string;
  mediaType: string;
  /** Bytes of the config and layer blobs pulled through the cache (mode copy: uploaded into the repository). */
  bytes: number;
  /** Config and layer blobs pulled (mode copy: uploaded or mounted; blobs the repository had are not counted). */
  blobs: number;
  platforms: string[];
  reason: WarmReason;
  team?: string;
};

/**
 * Detail of `Image Prepopulation Failed`: `team` is the allow-list entry's owner, for routing to them;
 * `problem` says what went wrong and what to do; `message` is the e-mail (subject and body) the team gets.
 */
type ImagePrepopulationFailedDetail = ImageIdentity & {
  reason: WarmFailureReason;
  problem: string;
  digest?: string;
  status?: number;
  code?: string;
  team?: string;
  message: RenderedMessage;
};

const identity = (target: WarmTarget, tag: string): ImageIdentity => ({
  repository: target.repository,
  prefix: target.prefix,
  upstream: target.upstream,
  image: target.image,
  tag,
  mode: target.mode,
});

const teamOf = (owner: string | undefined): { team?: string } => (owner === undefined ? {} : { team: owner });

const imagePrepopulatedEvent = (target: WarmTarget, tag: string, warmed: WarmedImage, owner: string | undefined): DockmasterEvent => {
  const detail: ImagePrepopulatedDetail = {
    ...identity(target, tag),
    digest: warmed.digest,
    mediaType: warmed.mediaType,
    bytes: warmed.bytes,
    blobs: warmed.blobs,
    platforms: warmed.platforms,
    reason: warmed.reason,
    ...teamOf(owner),
  };
  return { detailType: DockmasterEventType.ImagePrepopulated, detail };
};

const imagePrepopulationFailedEvent = (
  target: WarmTarget,
  tag: string,
  failure: WarmFailure,
  owner: string | undefined,
  digest?: string,
): DockmasterEvent => {
  const facts: Omit<ImagePrepopulationFailedDetail, 'message'> = {
    ...identity(target, tag),
    reason: failure.reason,
    problem: failure.message,
    ...(digest === undefined ? {} : { digest }),
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.code === undefined ? {} : { code: failure.code }),
    ...teamOf(owner),
  };
  const detail: ImagePrepopulationFailedDetail = { ...facts, message: renderPrepopulationFailedMessage(facts) };
  return { detailType: DockmasterEventType.ImagePrepopulationFailed, detail };
};

export { imagePrepopulatedEvent, imagePrepopulationFailedEvent };
export type { ImageIdentity, ImagePrepopulatedDetail, ImagePrepopulationFailedDetail };
