import { describe, expect, it } from 'vitest';
import { buildAlert } from './alert.js';
import { loadAwsEvent, loadScanFindings } from './fixtures/load.js';
import { configWith, imageScanSubject, inspectorFindingSubject } from './fixtures/subjects.js';
import { toAlertJson } from './json.js';
import { renderAlertMessage } from './message.js';
import { inUseFromScanFindings, normalizeScanFindings } from './scan-findings.js';
import { parseScanEvent } from '../events/scan.js';
import { toScanSubject } from './subject.js';

const NOW = new Date('2026-05-04T10:00:00.000Z');

/** The enhanced DescribeImageScanFindings page with the in-use fields Inspector attaches to each finding's image. */
const enhancedPageWith = (...copies: Record<string, unknown>[]): unknown => {
  const page = loadScanFindings('enhanced.page1') as { imageScanFindings: { enhancedFindings: Record<string, unknown>[] } };
  const enhancedFindings = page.imageScanFindings.enhancedFindings.map((finding, index) => {
    // The second finding of the fixture has no resources; it gets the first one's image.
    const [resource] = (finding['resources'] ?? page.imageScanFindings.enhancedFindings[0]?.['resources']) as { details: { awsEcrContainerImage: Record<string, unknown> } }[];
    const copy = copies[index] ?? {};
    return { ...finding, resources: [{ ...resource, details: { awsEcrContainerImage: { ...resource?.details.awsEcrContainerImage, ...copy } } }] };
  });
  return { ...page, imageScanFindings: { ...page.imageScanFindings, enhancedFindings } };
};

const routesWith = (notInUse: 'page' | 'low-urgency' | 'skip') =>
  configWith({ routes: [{ repositories: ['prod/payments/**'], team: 'payments', notInUse }] });

describe('in-use data from Inspector', () => {
  it('is read from the real 2021 Inspector2 Finding sample (inUseCount 1, lastInUseAt in the 2021 format)', () => {
    // Prepare
    const parsed = parseScanEvent(loadAwsEvent('inspector2-finding-ecr'));
    if (!parsed.ok) throw new Error(parsed.reason);

    // Act
    const subject = toScanSubject(parsed.event);

    // Assess
    expect(subject.inUse).toEqual({ count: 1, lastInUseAt: new Date('2021-12-03T18:02:13.000Z') });
  });

  it('is absent for the real 2024 sample, which carries neither field', () => {
    // Prepare
    const parsed = parseScanEvent(loadAwsEvent('inspector2-finding-ecr.inspector-docs'));
    if (!parsed.ok) throw new Error(parsed.reason);

    // Act
    const subject = toScanSubject(parsed.event);

    // Assess
    expect(subject.inUse).toBeUndefined();
  });

  it.each([
    ['a Date (SDK)', new Date('2026-05-01T08:00:00.000Z')],
    ['epoch seconds (AWS CLI v1)', 1777622400],
    ['ISO-8601 (AWS CLI v2)', '2026-05-01T08:00:00Z'],
  ])('reads lastInUseAt from DescribeImageScanFindings given as %s', (_label, lastInUseAt) => {
    // Prepare
    const page = enhancedPageWith({ inUseCount: 3, lastInUseAt });

    // Act
    const inUse = inUseFromScanFindings([page]);

    // Assess
    expect(inUse).toEqual({ count: 3, lastInUseAt: new Date('2026-05-01T08:00:00.000Z') });
  });

  it('keeps the highest count and the latest time when the findings carry different copies', () => {
    // Prepare
    const page = enhancedPageWith({ inUseCount: 0, lastInUseAt: '2026-05-03T00:00:00Z' }, { inUseCount: 2, lastInUseAt: '2026-04-01T00:00:00Z' });

    // Act
    const inUse = inUseFromScanFindings(page);

    // Assess
    expect(inUse).toEqual({ count: 2, lastInUseAt: new Date('2026-05-03T00:00:00.000Z') });
  });

  it('leaves absent fields absent and finds nothing in basic scanning', () => {
    // Prepare
    const countOnly = enhancedPageWith({ inUseCount: 0 });

    // Act
    const fromCountOnly = inUseFromScanFindings(countOnly);
    const fromEnhancedWithout = inUseFromScanFindings(loadScanFindings('enhanced.page1'));
    const fromBasic = inUseFromScanFindings(loadScanFindings('basic'));

    // Assess
    expect(fromCountOnly).toEqual({ count: 0 });
    expect(fromEnhancedWithout).toBeUndefined();
    expect(fromBasic).toBeUndefined();
  });

  it('reads an unusable in-use value as absent without costing the findings', () => {
    // Prepare
    const page = enhancedPageWith({ inUseCount: 'many', lastInUseAt: 'yesterday' });

    // Act
    const inUse = inUseFromScanFindings(page);
    const findings = normalizeScanFindings(page);

    // Assess
    expect(inUse).toBeUndefined();
    expect(findings.length).toBeGreaterThan(0);
  });
});

describe('buildAlert with in-use data', () => {
  it('states in the alert, the message and --json that and how much the image is in use', () => {
    // Prepare
    const subject = inspectorFindingSubject({ inUseCount: 4, lastInUseAt: 'Mon May 04 09:30:00.000 UTC 2026' });

    // Act
    const { alert } = buildAlert({ config: configWith(), subject, findings: [], now: NOW });
    const json = toAlertJson({ alert, state: { version: 1, repository: '', digest: '', findingKeys: [], dedupeKey: null, updatedAt: '' } });

    // Assess
    expect(alert).toMatchObject({ scanning: 'enhanced', urgency: 'high', inUse: { count: 4, lastInUseAt: '2026-05-04T09:30:00.000Z' } });
    expect(renderAlertMessage(alert!).body).toContain(
      "In use:   yes: 4 Amazon ECS tasks or Amazon EKS pods run it (Inspector's count; it does not name the clusters); last in use 2026-05-04T09:30:00.000Z",
    );
    expect(json.alert?.inUse).toEqual({ count: 4, lastInUseAt: '2026-05-04T09:30:00.000Z' });
  });

  it('keeps a field Inspector did not send out of the alert and the JSON', () => {
    // Prepare
    const subject = inspectorFindingSubject({ inUseCount: 0 });

    // Act
    const result = buildAlert({ config: configWith(), subject, findings: [], now: NOW });

    // Assess
    expect(result.alert?.inUse).toEqual({ count: 0 });
    expect(toAlertJson(result).alert?.inUse).toEqual({ count: 0 });
    expect(renderAlertMessage(result.alert!).body).toContain(
      'In use:   no: Inspector counts no Amazon ECS task or Amazon EKS pod running it; no last-in-use time reported',
    );
  });

  it('says basic scanning cannot tell, and puts no inUse into the JSON', () => {
    // Prepare
    const findings = normalizeScanFindings(loadScanFindings('basic'));

    // Act
    const result = buildAlert({ config: routesWith('skip'), subject: imageScanSubject(), findings, now: NOW });

    // Assess
    expect(result.alert).toMatchObject({ scanning: 'basic', urgency: 'high' });
    expect(result.alert?.inUse).toBeUndefined();
    expect(toAlertJson(result).alert).not.toHaveProperty('inUse');
    expect(renderAlertMessage(result.alert!).body).toContain(
      'In use:   not known: basic scanning does not report whether an image runs (Amazon Inspector enhanced scanning does)',
    );
  });

  it('says Inspector sent no in-use data, and pages as usual even with notInUse: skip', () => {
    // Prepare
    const subject = inspectorFindingSubject();

    // Act
    const { alert } = buildAlert({ config: routesWith('skip'), subject, findings: [], now: NOW });

    // Assess
    expect(alert).toMatchObject({ scanning: 'enhanced', urgency: 'high' });
    expect(renderAlertMessage(alert!).body).toContain('In use:   not known: Inspector sent no in-use data for this image');
  });

  it('takes the in-use data read with the findings of an Inspector2 Scan', () => {
    // Prepare
    const page = enhancedPageWith({ inUseCount: 2, lastInUseAt: '2026-05-04T08:00:00Z' });
    const inUse = inUseFromScanFindings(page);
    const subject = toScanSubject(
      (() => {
        const parsed = parseScanEvent({
          ...loadAwsEvent('inspector2-scan-ecr-initial'),
          detail: {
            ...(loadAwsEvent('inspector2-scan-ecr-initial')['detail'] as object),
            'repository-name': 'arn:aws:ecr:eu-central-1:111122223333:repository/prod/payments/api',
            'image-digest': imageScanSubject().digest,
          },
        });
        if (!parsed.ok) throw new Error(parsed.reason);
        return parsed.event;
      })(),
    );

    // Act
    const { alert } = buildAlert({ config: configWith(), subject, findings: normalizeScanFindings(page), inUse, now: NOW });

    // Assess
    expect(alert?.inUse).toEqual({ count: 2, lastInUseAt: '2026-05-04T08:00:00.000Z' });
  });
});

describe("a route's notInUse", () => {
  it('page (the default) alerts an image not in use as usual', () => {
    // Prepare
    const subject = inspectorFindingSubject({ inUseCount: 0, lastInUseAt: '2026-04-01T00:00:00Z' });

    // Act
    const { alert } = buildAlert({ config: configWith(), subject, findings: [], now: NOW });

    // Assess
    expect(alert?.urgency).toBe('high');
    expect(renderAlertMessage(alert!).subject).toMatch(/^\[CRITICAL\] prod\/payments\/api:1\.4\.2 — /);
  });

  it('low-urgency marks the alert, its subject and notes', () => {
    // Prepare
    const subject = inspectorFindingSubject({ inUseCount: 0, lastInUseAt: '2026-04-01T00:00:00Z' });

    // Act
    const { alert } = buildAlert({ config: routesWith('low-urgency'), subject, findings: [], now: NOW });

    // Assess
    expect(alert?.urgency).toBe('low');
    expect(renderAlertMessage(alert!).subject).toMatch(/^\[CRITICAL, not in use\] prod\/payments\/api:1\.4\.2 — /);
    expect(alert?.notes).toContain(
      'low urgency: the image is not in use (Inspector counts 0 Amazon ECS tasks and Amazon EKS pods running it; last in use 2026-04-01T00:00:00.000Z), and the route for prod/payments/api sets notInUse: low-urgency',
    );
  });

  it('low-urgency leaves an image in use at high urgency', () => {
    // Prepare
    const subject = inspectorFindingSubject({ inUseCount: 1 });

    // Act
    const { alert } = buildAlert({ config: routesWith('low-urgency'), subject, findings: [], now: NOW });

    // Assess
    expect(alert?.urgency).toBe('high');
  });

  it('skip sends nothing, says why, and does not store the findings as alerted', () => {
    // Prepare
    const subject = inspectorFindingSubject({ inUseCount: 0 });

    // Act
    const result = buildAlert({ config: routesWith('skip'), subject, findings: [], now: NOW });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.reason).toMatch(
      /^skipped 2 new findings on prod\/payments\/api@sha256:\S+: the image is not in use \(Inspector counts 0 Amazon ECS tasks and Amazon EKS pods running it; no last-in-use time reported\), and the route for prod\/payments\/api sets notInUse: skip$/,
    );
    expect(result.state.findingKeys).toEqual([]);
  });

  it('skip alerts the same findings once the image runs', () => {
    // Prepare
    const config = routesWith('skip');
    const skipped = buildAlert({ config, subject: inspectorFindingSubject({ inUseCount: 0 }), findings: [], now: NOW });

    // Act
    const later = buildAlert({ config, subject: inspectorFindingSubject({ inUseCount: 3 }), findings: [], previous: skipped.state, now: NOW });

    // Assess
    expect(later.alert?.newFindings.map((finding) => finding.package)).toEqual(['libssl3t64', 'openssl']);
  });
});
