import { fitSubject, type RenderedMessage } from './message.js';

/** What the scan-alert watchdog reports about a repository whose scanning went quiet (its `Scanning Silent` detail). */
interface ScanningSilence {
  team: string | null;
  repository: string;
  /** The newest push (ISO-8601). */
  lastPushAt: string;
  /** The oldest push still waiting for a scan result (ISO-8601): the silence started with it. */
  firstUnscannedPushAt: string;
  /** The last scan result of the repository (ISO-8601), null when none was ever recorded. */
  lastScanAt: string | null;
  silentAfterHours: number;
  /** Whole hours since firstUnscannedPushAt. */
  silentForHours: number;
}

/** Subject and body of a Scanning Silent. */
const renderScanningSilentMessage = (silence: ScanningSilence): RenderedMessage => ({
  subject: fitSubject('[SCANNING SILENT] ', silence.repository, ` — pushed ${silence.silentForHours} h ago, no scan result since`),
  body: [
    `Images were pushed to ${silence.repository}, but no scan result has arrived for ${silence.silentForHours} hours`,
    `(the watchdog reports after ${silence.silentAfterHours} hours). Until scanning works again, "no alert" does not mean "no findings".`,
    '',
    `Repository:             ${silence.repository}`,
    `Team:                   ${silence.team ?? '(no route matched: add one under scanAlerts.routes)'}`,
    `Oldest unscanned push:  ${silence.firstUnscannedPushAt}`,
    `Newest push:            ${silence.lastPushAt}`,
    `Last scan result:       ${silence.lastScanAt ?? '(none recorded since the watchdog started watching)'}`,
    '',
    'What to check:',
    `  1. Scan on push (basic scanning): aws ecr describe-repositories --repository-names ${silence.repository} --query 'repositories[0].imageScanningConfiguration'`,
    '  2. Enhanced scanning: is Amazon Inspector still enabled for ECR, and does the registry scanning configuration cover this repository',
    '     (aws ecr get-registry-scanning-configuration; aws inspector2 batch-get-account-status)?',
    `  3. Scan results of the newest image: aws ecr describe-image-scan-findings --repository-name ${silence.repository} --image-id imageDigest=<digest>`,
    '  4. The scan-alert rules and queue: a dead-letter queue with messages means results arrived but could not be processed.',
    '',
    'This is reported once per silent period; the next scan result for the repository ends it.',
  ].join('\n'),
});

export { renderScanningSilentMessage };
export type { ScanningSilence };
