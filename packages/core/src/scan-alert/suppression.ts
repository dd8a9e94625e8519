import type { SuppressionConfig } from '../config/index.js';
import { matchesAnyGlob } from '../glob/index.js';
import type { Finding } from './finding.js';

/** The image a finding was found in, as far as suppressions care. */
interface SuppressionTarget {
  repository: string;
  digest: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The first instant a suppression no longer applies: `expires` is the last day it applies (inclusive),
 * so it ends at the following midnight UTC.
 */
const suppressionEndsAt = (expires: string): Date => new Date(Date.parse(`${expires}T00:00:00Z`) + DAY_MS);

const isSuppressionActive = (suppression: Pick<SuppressionConfig, 'expires'>, now: Date): boolean =>
  now.getTime() < suppressionEndsAt(suppression.expires).getTime();

/** True when the suppression names this finding in this image, ignoring its expiry. */
const suppressionCovers = (suppression: SuppressionConfig, finding: Finding, target: SuppressionTarget): boolean =>
  suppression.cve.toUpperCase() === finding.id.toUpperCase() &&
  matchesAnyGlob(suppression.repositories, target.repository) &&
  (suppression.package === undefined || suppression.package === finding.package) &&
  (suppression.digest === undefined || suppression.digest === target.digest);

/** The first suppression in force for the finding, if any. */
const activeSuppressionFor = (
  suppressions: readonly SuppressionConfig[],
  finding: Finding,
  target: SuppressionTarget,
  now: Date,
): SuppressionConfig | undefined =>
  suppressions.find((suppression) => suppressionCovers(suppression, finding, target) && isSuppressionActive(suppression, now));

/** Suppressions that would cover the finding but have expired: an expiry must be loud, never silent. */
const expiredSuppressionsFor = (
  suppressions: readonly SuppressionConfig[],
  finding: Finding,
  target: SuppressionTarget,
  now: Date,
): SuppressionConfig[] =>
  suppressions.filter((suppression) => suppressionCovers(suppression, finding, target) && !isSuppressionActive(suppression, now));

export { activeSuppressionFor, expiredSuppressionsFor, isSuppressionActive, suppressionCovers, suppressionEndsAt };
export type { SuppressionTarget };
