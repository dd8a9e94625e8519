import { fitSubject, imageReference, type RenderedMessage } from './message.js';

/** What the prepopulate worker reports about an allow-listed image it found archived and restored. */
type ArchivedImageRestore = {
  /** The cache repository, `<prefix>/<image>`. */
  repository: string;
  prefix: string;
  digest: string;
  /** The image's allow-listed tags (the archive event names none; DescribeImages does). */
  tags: string[];
  /** imageStatus UpdateImageStorageClass answered: ACTIVATING while ECR restores (about 20 minutes). */
  imageStatus: string;
  /** When ECR archived it (the event's time). */
  archivedAt: string;
  team?: string;
};

/** Subject and body of an Archived Image Restored. */
const renderArchivedImageRestoredMessage = (restore: ArchivedImageRestore): RenderedMessage => {
  const reference = imageReference(restore.repository, restore.tags[0], restore.digest);
  const subject = fitSubject('[ARCHIVED IMAGE RESTORED] ', reference, ' — pulls fail until the restore completes');
  const body = [
    `ECR moved the allow-listed image ${reference} to the archive storage class at ${restore.archivedAt}.`,
    'Archived images cannot be pulled: clusters without internet access got 404 for it. Dockmaster asked ECR to',
    `restore it (UpdateImageStorageClass to STANDARD; ECR answered ${restore.imageStatus}). A restore takes about 20 minutes;`,
    'pulls work again once DescribeImages shows imageStatus ACTIVE.',
    '',
    `Cache:     ${restore.repository} (prefix ${restore.prefix})`,
    `Tags:      ${restore.tags.join(', ')}`,
    `Digest:    ${restore.digest}`,
    `Team:      ${restore.team ?? '(no owner: set owner on the allow-list entry)'}`,
    '',
    'What to do:',
    '  1. Nothing for this image: it is being restored. Archived images are billed for at least 90 days.',
    `  2. Find who archived it: Dockmaster's lifecycle policy never selects allow-listed tags, so check for a`,
    `     lifecycle policy edited outside Dockmaster or a manual UpdateImageStorageClass (CloudTrail) on ${restore.repository}.`,
  ].join('\n');
  return { subject, body };
};

export { renderArchivedImageRestoredMessage };
export type { ArchivedImageRestore };
