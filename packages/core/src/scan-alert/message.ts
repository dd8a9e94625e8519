import type { Severity } from '../constants.js';
import { fitSubject, imageReference, shortDigest, type RenderedMessage } from '../notifications/message.js';
import type { AlertFinding, ScanAlert, ScanAlertResolved } from './alert.js';
import { isAtOrAbove, severityRank, type FindingSeverity } from './severity.js';

/** Findings listed in the body; the rest are counted and left to the console. */
const MAX_LISTED_FINDINGS = 10;
/** How long the suggested suppression lasts: long enough to ship a fix, short enough to be looked at again. */
const SUGGESTED_SUPPRESSION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** "3 critical, 1 high vulnerabilities" ("2 new critical, ..." with a qualifier): distinct ids per severity, as a CVE in two packages is one vulnerability to a reader. */
const vulnerabilityPhrase = (findings: readonly AlertFinding[], qualifier = ''): string => {
  const idsBySeverity = new Map<Severity, Set<string>>();
  for (const finding of findings) {
    const ids = idsBySeverity.get(finding.severity) ?? new Set<string>();
    ids.add(finding.id);
    idsBySeverity.set(finding.severity, ids);
  }
  const parts = [...idsBySeverity.entries()]
    .sort(([a], [b]) => severityRank(b) - severityRank(a))
    .map(([severity, ids], index) => `${ids.size} ${index === 0 ? qualifier : ''}${severity.toLowerCase()}`);
  const total = [...idsBySeverity.values()].reduce((sum, ids) => sum + ids.size, 0);
  return `${parts.join(', ')} ${total === 1 ? 'vulnerability' : 'vulnerabilities'}`;
};

const availability = (finding: AlertFinding): string => {
  const fix = finding.fixAvailable ? `fix: ${finding.fixAvailable}` : undefined;
  const exploit = finding.exploitAvailable ? `exploit: ${finding.exploitAvailable}` : undefined;
  return [fix, exploit].filter(Boolean).join(', ');
};

const findingLines = (finding: AlertFinding, isNew: boolean): string[] => {
  const fixed = finding.fixedVersion ? `-> ${finding.fixedVersion}` : finding.fixAvailable === 'NO' ? '(no fix released)' : '(fixed version not known)';
  const extras = [availability(finding), isNew ? 'NEW' : ''].filter(Boolean).join('; ');
  return [
    `  ${finding.severity.padEnd(8)} ${finding.id}  ${finding.package} ${finding.installedVersion} ${fixed}${extras ? `  [${extras}]` : ''}`,
    ...(finding.uri ? [`           ${finding.uri}`] : []),
  ];
};

const belowThresholdSummary = (alert: ScanAlert): string | undefined => {
  const parts = (Object.entries(alert.counts) as [FindingSeverity, number][])
    .filter(([severity, count]) => count > 0 && !isAtOrAbove(severity, alert.minSeverity))
    .sort(([a], [b]) => severityRank(b) - severityRank(a))
    .map(([severity, count]) => `${count} ${severity}`);
  return parts.length > 0 ? `Below ${alert.minSeverity} (not listed): ${parts.join(', ')}` : undefined;
};

const tasksOrPods = (count: number): string => `${count} Amazon ECS ${count === 1 ? 'task or Amazon EKS pod' : 'tasks or Amazon EKS pods'}`;

/**
 * Whether and where the image runs, as far as the scanner says: Inspector counts ECS tasks and EKS pods (not which
 * clusters); basic scanning says nothing, and the line says so rather than leaving the question open.
 */
const inUseLine = (alert: ScanAlert): string => {
  const { inUse } = alert;
  if (alert.scanning === 'basic') return 'not known: basic scanning does not report whether an image runs (Amazon Inspector enhanced scanning does)';
  if (!inUse) return 'not known: Inspector sent no in-use data for this image';
  const last = inUse.lastInUseAt ? `last in use ${inUse.lastInUseAt}` : 'no last-in-use time reported';
  if (inUse.count === undefined) return `not known now: Inspector sent no count; ${last}`;
  if (inUse.count === 0) return `no: Inspector counts no Amazon ECS task or Amazon EKS pod running it; ${last}`;
  return `yes: ${tasksOrPods(inUse.count)} ${inUse.count === 1 ? 'runs' : 'run'} it (Inspector's count; it does not name the clusters); ${last}`;
};

/** A ready-to-paste suppression; JSON strings are valid YAML double-quoted scalars, so values are quoted with JSON.stringify. */
const suppressionSnippet = (alert: ScanAlert, finding: AlertFinding): string[] => {
  const expires = new Date(Date.parse(alert.createdAt) + SUGGESTED_SUPPRESSION_DAYS * DAY_MS).toISOString().slice(0, 10);
  return [
    '       scanAlerts:',
    '         suppressions:',
    `           - cve: ${finding.id}`,
    `             repositories: [${JSON.stringify(alert.repository)}]`,
    `             package: ${JSON.stringify(finding.package)}`,
    '             reason: "<why it is not exploitable in this image>"',
    `             expires: "${expires}"`,
  ];
};

/** Subject and body of a Scan Alert. */
const renderAlertMessage = (alert: ScanAlert): RenderedMessage => {
  const reference = imageReference(alert.repository, alert.tags[0], alert.digest);
  const newIds = new Set(alert.newFindings.map((finding) => `${finding.id}|${finding.package}`));
  // A repeat alert (findings were alerted before for this digest) leads with what is new.
  const isRepeat = alert.newFindings.length < alert.findings.length || alert.stillOpen.length > 0;
  const phrase = isRepeat ? vulnerabilityPhrase(alert.newFindings, 'new ') : vulnerabilityPhrase(alert.findings);
  // Low urgency is visible before the message is opened: a mail filter or a pager rule can key on it.
  const subject = fitSubject(alert.urgency === 'low' ? `[${alert.severity}, not in use] ` : `[${alert.severity}] `, reference, ` — ${phrase}`);

  const listed = alert.findings.slice(0, MAX_LISTED_FINDINGS);
  const unlisted = alert.findings.length - listed.length;
  const [top] = alert.findings;
  const below = belowThresholdSummary(alert);
  const body = [
    `${capitalise(phrase)} at or above ${alert.minSeverity} in ${reference}.`,
    '',
    `Image:    ${alert.repository}@${alert.digest}`,
    `Tags:     ${alert.tags.length > 0 ? alert.tags.join(', ') : '(untagged)'}`,
    `Team:     ${alert.team ?? '(no route matched: add one under scanAlerts.routes)'}`,
    `In use:   ${inUseLine(alert)}`,
    ...(alert.source || alert.revision ? [`Source:   ${alert.source ?? '(no org.opencontainers.image.source label)'}${alert.revision ? ` @ ${alert.revision}` : ''}`] : []),
    `Console:  ${alert.consoleUrl}`,
    '',
    `Findings (${listed.length} of ${alert.findings.length}, highest first): package installed -> fixed`,
    ...listed.flatMap((finding) => findingLines(finding, isRepeat && newIds.has(`${finding.id}|${finding.package}`))),
    ...(unlisted > 0 ? [`  ... and ${unlisted} more: see the console.`] : []),
    ...(below ? [below] : []),
    ...(alert.suppressed.length > 0
      ? [
          'Suppressed (not alerting):',
          // Capped like the findings: a suppression widened to many repositories or packages can hide hundreds.
          ...alert.suppressed.slice(0, MAX_LISTED_FINDINGS).map((entry) => `  ${entry.id} (${entry.package}) until ${entry.expires}: ${entry.reason}`),
          ...(alert.suppressed.length > MAX_LISTED_FINDINGS ? [`  ... and ${alert.suppressed.length - MAX_LISTED_FINDINGS} more suppressed: see the configuration's scanAlerts.suppressions.`] : []),
        ]
      : []),
    ...(alert.notes.length > 0 ? ['', 'Notes:', ...alert.notes.map((note) => `  - ${note}`)] : []),
    '',
    'What to do:',
    '  1. Rebuild the image with the fixed versions above (newer base image or package upgrades) and push it.',
    '     This alert resolves when a scan of the image no longer reports the findings.',
    ...(top
      ? [
          '  2. If a finding is not exploitable in this image, suppress it with an expiry in the Dockmaster',
          '     configuration (narrow it with package or digest), for example:',
          ...suppressionSnippet(alert, top),
        ]
      : []),
    '',
    `dedupeKey: ${alert.dedupeKey}`,
  ].join('\n');
  return { subject, body };
};

/** Subject and body of a Scan Alert Resolved. */
const renderResolvedMessage = (resolved: ScanAlertResolved): RenderedMessage => {
  const reference = imageReference(resolved.repository, resolved.tags[0], resolved.digest);
  const count = resolved.resolvedFindings.length;
  const expired = resolved.resolution === 'expired';
  const outcome = expired ? 'expired' : 'resolved';
  const what = resolved.allResolved ? `all alerted findings ${outcome}` : `${count} ${count === 1 ? 'finding' : 'findings'} ${outcome}`;
  // EXPIRED, not RESOLVED, in the subject: nothing was fixed, Inspector only stopped looking.
  const subject = fitSubject(expired ? '[EXPIRED] ' : '[RESOLVED] ', reference, ` — ${what}`);
  const why = resolved.inactiveReason ? ` (${resolved.inactiveReason})` : '';
  const cause =
    resolved.cause === 'superseded' && resolved.supersededBy
      ? `A newer image with the tag ${resolved.supersededBy.tag} (${shortDigest(resolved.supersededBy.digest)}) no longer has them.`
      : resolved.cause === 'image-inactive'
      ? `Inspector stopped scanning the image${why} and closes its findings.`
      : resolved.cause === 'finding-closed'
        ? expired
          ? `Inspector closed the finding after it stopped scanning the image${why}.`
          : 'Inspector closed the finding.'
        : 'A new scan of the image no longer reports them.';
  const resolution = expired
    ? 'Resolution: expired, not fixed: the image is unchanged and no longer scanned (for ECR images usually because Inspector\'s re-scan duration lapsed: not pushed or used recently). If it runs again, rebuild it or have it scanned.'
    : 'Resolution: fixed: the findings went away while the image was still being scanned.';
  const body = [
    `${capitalise(what)} in ${reference}. ${cause}`,
    '',
    `Image:    ${resolved.repository}@${resolved.digest}`,
    `Tags:     ${resolved.tags.length > 0 ? resolved.tags.join(', ') : '(untagged)'}`,
    `Team:     ${resolved.team ?? '(no route matched)'}`,
    `Console:  ${resolved.consoleUrl}`,
    '',
    resolution,
    '',
    expired ? 'Expired:' : 'Resolved:',
    ...resolved.resolvedFindings.map((finding) => `  ${finding.id} (${finding.package})`),
    '',
    resolved.allResolved ? 'Nothing alerted remains open on this image.' : `Still open on this image: ${resolved.remainingFindings}.`,
  ].join('\n');
  return { subject, body };
};

export { renderAlertMessage, renderResolvedMessage };
