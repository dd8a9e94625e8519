import { CacheMode } from '../constants.js';
import { fitSubject, imageReference, type RenderedMessage } from './message.js';

/** What the prepopulate worker reports about an image it could not warm (its `Image Prepopulation Failed` detail). */
interface PrepopulationFailure {
  /** The cache repository, `<prefix>/<image>`. */
  repository: string;
  prefix: string;
  /** Upstream registry host, e.g. registry.k8s.io. */
  upstream: string;
  /** Image path upstream, e.g. coredns/coredns. */
  image: string;
  /** The tag, or the selector when the tags could not be resolved (`semver >=1.0.0 <2.0.0`). */
  tag: string;
  /** missing-upstream | rate-limited | access-denied | other. */
  reason: string;
  /** `copy` when the image is copied into a plain repository rather than warmed through a pull-through cache. */
  mode?: CacheMode;
  /** What went wrong and what to do, in full. */
  problem: string;
  digest?: string;
  status?: number;
  code?: string;
  team?: string;
}

const REASON_WORDS: Record<string, string> = {
  'missing-upstream': 'not found upstream',
  'rate-limited': 'rate limited',
  'access-denied': 'access denied',
};

/** Subject and body of an Image Prepopulation Failed. */
const renderPrepopulationFailedMessage = (failure: PrepopulationFailure): RenderedMessage => {
  const reference = imageReference(failure.repository, failure.tag, undefined);
  const words = REASON_WORDS[failure.reason] ?? 'not warmed';
  const subject = fitSubject('[PREPOPULATE FAILED] ', reference, ` — ${words}`);
  const response = [failure.status === undefined ? undefined : `HTTP ${failure.status}`, failure.code].filter(Boolean).join(', ');
  const copy = failure.mode === CacheMode.Copy;
  const body = [
    copy
      ? `Dockmaster could not copy ${reference} from ${failure.upstream} into ${failure.prefix}/ (copy mode): ${words}.`
      : `Dockmaster could not warm ${reference} into the pull-through cache ${failure.prefix}/ (upstream ${failure.upstream}): ${words}.`,
    copy
      ? 'Clusters without internet access cannot pull this image (or its new version) until it is copied.'
      : 'Clusters without internet access cannot pull this image through the cache until it is warmed.',
    '',
    failure.problem,
    '',
    `Upstream:  ${failure.upstream}/${failure.image}:${failure.tag}`,
    `${copy ? 'Copy:   ' : 'Cache:  '}   ${failure.repository} (prefix ${failure.prefix})`,
    `Reason:    ${failure.reason}${response === '' ? '' : ` (${response})`}`,
    ...(failure.digest === undefined ? [] : [`Digest:    ${failure.digest}`]),
    `Team:      ${failure.team ?? '(no owner: set owner on the allow-list entry)'}`,
    '',
    'What to do:',
    '  1. Fix what the message above names (the allow-list entry, the cache rule credentials, or the worker role).',
    '  2. The next scheduled run warms it again; to warm it now, send the prepopulate queue',
    `     {"kind":"warm","repository":${JSON.stringify(failure.repository)},"tag":${JSON.stringify(failure.tag)}}`,
  ].join('\n');
  return { subject, body };
};

export { renderPrepopulationFailedMessage };
export type { PrepopulationFailure };
