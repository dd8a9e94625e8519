import { DockmasterEventType } from '@dockmaster/core/constants';
import type { WarmReason, WarmTarget } from '@dockmaster/core/prepopulate';
import type { DockmasterEvent } from '../dockmaster-bus.js';
import type { WarmFailure, WarmFailureReason } from './warm-failure.js';
import type { WarmedImage } from './warm-image.js';

type ImageIdentity = { repository: string; prefix: string; upstream: string; image: string; tag: string };

/** Detail of `Image Prepopulated`. */
type ImagePrepopulatedDetail = ImageIdentity & {
  digest: string;
  mediaType: string;
  /** Bytes of the config and layer blobs pulled through the cache. */
  bytes: number;
  blobs: number;
  platforms: string[];
  reason: WarmReason;
  team?: string;
};

/** Detail of `Image Prepopulation Failed`: `team` is the allow-list entry's owner, for routing to them. */
type ImagePrepopulationFailedDetail = ImageIdentity & {
  reason: WarmFailureReason;
  message: string;
  digest?: string;
  status?: number;
  code?: string;
  team?: string;
};

const identity = (target: WarmTarget, tag: string): ImageIdentity => ({
  repository: target.repository,
  prefix: target.prefix,
  upstream: target.upstream,
  image: target.image,
  tag,
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
  const detail: ImagePrepopulationFailedDetail = {
    ...identity(target, tag),
    reason: failure.reason,
    message: failure.message,
    ...(digest === undefined ? {} : { digest }),
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.code === undefined ? {} : { code: failure.code }),
    ...teamOf(owner),
  };
  return { detailType: DockmasterEventType.ImagePrepopulationFailed, detail };
};

export { imagePrepopulatedEvent, imagePrepopulationFailedEvent };
export type { ImageIdentity, ImagePrepopulatedDetail, ImagePrepopulationFailedDetail };
