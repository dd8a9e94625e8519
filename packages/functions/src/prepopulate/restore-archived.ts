import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DockmasterEventType } from '@dockmaster/core/constants';
import type { EcrStorageClassChangeEvent } from '@dockmaster/core/events/ecr-image-action';
import { EcrActionResult, EcrImageStatus, EcrStorageClass } from '@dockmaster/core/events/vocabulary';
import { type ArchivedImageRestore, renderArchivedImageRestoredMessage, type RenderedMessage } from '@dockmaster/core/notifications';
import { owningTeam } from '@dockmaster/core/ownership';
import { listWarmTargets, resolveTags, type WarmTarget } from '@dockmaster/core/prepopulate';
import type { DockmasterBus } from '../adapters/dockmaster-bus.js';
import type { EcrStorageClasses } from '../adapters/ecr-storage-class.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';

/** What restoring an archived image needs besides the worker context. */
type RestoreDeps = {
  /** DescribeImages (any storage class) and UpdateImageStorageClass in the registry's Region. */
  storageClassesIn: (region: string) => EcrStorageClasses;
  bus: DockmasterBus;
};

/** Detail of `Archived Image Restored`: routed to `team`; `message` is the e-mail it gets. */
type ArchivedImageRestoredDetail = ArchivedImageRestore & { message: RenderedMessage };

/**
 * The image's tags the allow-list entry selects. A pinned entry (`3.9@sha256:...`) selects its tag only while
 * the tag names the pinned digest: another image under that tag is not the allow-listed one.
 */
const allowListedTags = (target: WarmTarget, tags: readonly string[], digest: string): string[] =>
  resolveTags(target.selector, tags)
    .tags.filter((resolved) => resolved.pinnedDigest === undefined || resolved.pinnedDigest === digest)
    .map((resolved) => resolved.tag);

/**
 * ECR archived an image (`ECR Image Action`, UPDATE_STORAGE_CLASS to ARCHIVE). An allow-listed image must stay
 * pullable: clusters without internet access get 404 for an archived one. The event is best effort, may be
 * late or repeated, and names no tag; so the image is read again (DescribeImages, any storage class) and only
 * an image that is archived NOW and carries an allow-listed tag NOW is restored, by its digest. A repeat finds
 * it ACTIVATING or ACTIVE and does nothing, so the owner hears once per archival.
 */
const restoreArchivedImage = async (event: EcrStorageClassChangeEvent, context: WorkerContext, deps: RestoreDeps): Promise<RecordOutcome> => {
  const { config, logger, metrics } = context;
  const { 'repository-name': repository, 'image-digest': digest } = event.detail;
  const facts = { repository, digest, eventId: event.id };
  if (event.detail['target-storage-class'] !== EcrStorageClass.Archive || event.detail.result !== EcrActionResult.Success) {
    logger.info(`ignored a storage-class change of ${repository}@${digest} to ${event.detail['target-storage-class']} (${event.detail.result}): only archivals are restored`, facts);
    return { outcome: 'not-an-archival' };
  }
  const target = listWarmTargets(config).find((candidate) => candidate.repository === repository);
  if (target === undefined) {
    logger.info(`${repository}@${digest} was archived; the repository is not on any allow-list, so it stays archived`, facts);
    return { outcome: 'not-allow-listed' };
  }
  const storage = deps.storageClassesIn(config.registry.region);
  const image = await storage.describeImage(repository, digest);
  if (image === undefined) {
    logger.info(`${repository}@${digest} was archived and is gone by now; nothing to restore`, facts);
    return { outcome: 'image-gone' };
  }
  if (image.imageStatus !== EcrImageStatus.Archived) {
    // A repeated or late event: restored already (by us, a push or a person).
    logger.info(`${repository}@${digest} is ${image.imageStatus} by now; nothing to restore`, { ...facts, imageStatus: image.imageStatus });
    return { outcome: 'not-archived-now', imageStatus: image.imageStatus };
  }
  const tags = allowListedTags(target, image.tags, digest);
  if (tags.length === 0) {
    logger.info(`${repository}@${digest} was archived; none of its tags (${image.tags.join(', ') || 'untagged'}) is allow-listed, so it stays archived`, facts);
    return { outcome: 'not-allow-listed' };
  }
  const restored = await storage.restoreImage(repository, digest);
  if (restored.kind === 'gone') {
    logger.info(`${repository}@${digest} disappeared before it could be restored`, facts);
    return { outcome: 'image-gone' };
  }
  const team = owningTeam(config, repository) ?? undefined;
  const restore: ArchivedImageRestore = {
    repository,
    prefix: target.prefix,
    digest,
    tags,
    imageStatus: restored.imageStatus,
    archivedAt: event.time,
    ...(team === undefined ? {} : { team }),
  };
  const detail: ArchivedImageRestoredDetail = { ...restore, message: renderArchivedImageRestoredMessage(restore) };
  logger.warn(`allow-listed ${repository}:${tags.join(',')} (${digest}) was archived; restore requested (${restored.imageStatus})`, { ...facts, tags, team });
  await deps.bus.emitEvents([{ detailType: DockmasterEventType.ArchivedImageRestored, detail }]);
  metrics.addMetric('ArchivedImagesRestored', MetricUnit.Count, 1);
  return { outcome: 'restored', imageStatus: restored.imageStatus };
};

export { restoreArchivedImage };
export type { ArchivedImageRestoredDetail, RestoreDeps };
