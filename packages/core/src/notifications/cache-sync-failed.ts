import type { CacheSyncFailedDetail } from '../cache-health/index.js';
import { fitSubject, imageReference, type RenderedMessage } from './message.js';

const KIND_WORDS: Record<CacheSyncFailedDetail['kind'], string> = {
  'upstream-authentication': 'upstream authentication failed',
  'upstream-rate-limited': 'upstream rate-limited',
  'image-not-found-upstream': 'not found upstream',
  'upstream-unreachable': 'upstream unreachable',
  other: 'sync failed',
};

/** Subject and body of a Cache Sync Failed. */
const renderCacheSyncFailedMessage = (detail: CacheSyncFailedDetail): RenderedMessage => {
  const reference = imageReference(detail.repository, detail.tag, detail.digest);
  const words = KIND_WORDS[detail.kind];
  const subject = fitSubject('[CACHE SYNC FAILED] ', reference, ` — ${words}`);
  const seen = detail.seenBy === 'ecr-event' ? 'ECR reported' : "Dockmaster's prepopulate worker saw";
  const body = [
    `${seen} that the pull-through cache ${detail.prefix}/ could not sync ${reference} from ${detail.upstream}: ${words}.`,
    'Clusters pulling this image through the cache get an error (or a stale copy) until this is fixed.',
    '',
    detail.advice,
    '',
    `Repository:  ${detail.repository} (prefix ${detail.prefix}, ${detail.account} ${detail.region})`,
    `Upstream:    ${detail.upstream}`,
    `Tag:         ${detail.tag ?? '(none)'}`,
    `Digest:      ${detail.digest ?? '(not in the event)'}`,
    `Failure:     ${detail.failureCode ?? '(no code)'}${detail.failureReason === null ? '' : ` — ${detail.failureReason}`}`,
    `Secret:      ${detail.credentialArn ?? '(none configured)'}`,
    `Team:        ${detail.team ?? '(no owner: set prepopulate.defaultOwner on the entry or a scanAlerts.routes entry)'}`,
    '',
    'Dockmaster reports each failure kind once per image and week; a fixed cache needs no further action.',
    `Event: ${detail.eventId}`,
  ].join('\n');
  return { subject, body };
};

export { renderCacheSyncFailedMessage };
