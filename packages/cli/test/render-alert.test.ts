import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsSampleEvent } from '@dockmaster/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, fromRoot, runCli, sampleEvent } from './support/cli.js';

/* Runs `dockmaster render-alert` in-process through the real `main`, so UsageError -> exit 2 is the CLI's own handling. */

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(fromRoot(path), 'utf8')) as Record<string, unknown>;

const DIGEST = 'sha256:4a5e5b8d3b1f0c2e6d7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e';
const BASIC_FINDINGS = fromRoot('packages/core/src/scan-alert/fixtures/describe-image-scan-findings.basic.json');

let directory: string;
const file = (name: string, content: unknown): string => {
  const path = join(directory, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** The real basic-scan sample, moved to the repository the example config routes to payments. */
const paymentsScanEvent = (): Record<string, unknown> => {
  const sample = awsSampleEvent('ecr-image-scan-basic-complete.json') as Record<string, unknown>;
  return {
    ...sample,
    region: 'eu-central-1',
    account: '111122223333',
    detail: { ...(sample['detail'] as object), 'repository-name': 'prod/payments/api', 'image-digest': DIGEST, 'image-tags': ['1.4.2'] },
  };
};

const run = (args: string[]) => runCli(['render-alert', ...args]);

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'render-alert-'));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('dockmaster render-alert --json', () => {
  it('prints exactly the alert document for a scan event and its DescribeImageScanFindings response', async () => {
    // Prepare
    const event = file('scan.json', paymentsScanEvent());

    // Act
    const { code, stdout, stderr } = await run(['--config', EXAMPLE_CONFIG, event, '--findings', BASIC_FINDINGS, '--json']);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as { alert: { dedupeKey: string } };
    expect(document).toEqual({
      alert: {
        team: 'payments',
        repository: 'prod/payments/api',
        digest: DIGEST,
        tags: ['1.4.2'],
        severity: 'CRITICAL',
        counts: { CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 1 },
        findings: [
          {
            id: 'CVE-2023-38545',
            severity: 'CRITICAL',
            package: 'curl',
            installedVersion: '7.88.1-10+deb12u3',
            fixedVersion: null,
            uri: 'https://security-tracker.debian.org/tracker/CVE-2023-38545',
          },
          {
            id: 'CVE-2023-44487',
            severity: 'CRITICAL',
            package: 'nghttp2',
            installedVersion: '1.52.0-1+deb12u1',
            fixedVersion: null,
            uri: 'https://nvd.nist.gov/vuln/detail/CVE-2023-44487',
          },
        ],
        suppressed: [],
        dedupeKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(Object.keys(document.alert)).toEqual(['team', 'repository', 'digest', 'tags', 'severity', 'counts', 'findings', 'suppressed', 'dedupeKey']);
  });

  it('lists suppressed findings with reason and expiry', async () => {
    // Prepare
    const config = file(
      'suppressing.yaml',
      readFileSync(EXAMPLE_CONFIG, 'utf8').replace(
        '  suppressions:\n',
        '  suppressions:\n    - cve: CVE-2023-38545\n      repositories: ["prod/**"]\n      reason: "no SOCKS5 proxy in use"\n      expires: "2099-12-31"\n',
      ),
    );
    const event = file('scan.json', paymentsScanEvent());

    // Act
    const { code, stdout } = await run(['--json', '--config', config, '--findings', BASIC_FINDINGS, event]);

    // Assess
    expect(code).toBe(0);
    const { alert } = JSON.parse(stdout) as { alert: { findings: { id: string }[]; suppressed: unknown[] } };
    expect(alert.findings.map((finding) => finding.id)).toEqual(['CVE-2023-44487']);
    expect(alert.suppressed).toEqual([{ id: 'CVE-2023-38545', reason: 'no SOCKS5 proxy in use', expires: '2099-12-31' }]);
  });

  it('prints {"alert": null, "reason"} when nothing is alertable, and still exits 0', async () => {
    // Prepare: the real 2021 Inspector2 Finding is MEDIUM, below the example's CRITICAL threshold
    const event = sampleEvent('inspector2-finding-ecr.json');

    // Act
    const { code, stdout } = await run(['--config', EXAMPLE_CONFIG, '--json', event]);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      alert: null,
      reason: expect.stringMatching(/^CVE-2019-17498 \(libssh2\) on amazon\/amazon-ecs-sample@sha256:\S+ is MEDIUM, below the CRITICAL threshold$/),
    });
  });

  it('alerts on the real Inspector2 Finding sample (2024 format) without a findings file', async () => {
    // Prepare
    const event = sampleEvent('inspector2-finding-ecr.inspector-docs.json');
    const config = file('medium.yaml', readFileSync(EXAMPLE_CONFIG, 'utf8').replace('minSeverity: CRITICAL', 'minSeverity: MEDIUM'));

    // Act
    const { code, stdout } = await run(['--config', config, '--json', event]);

    // Assess
    expect(code).toBe(0);
    const { alert } = JSON.parse(stdout) as { alert: { team: string; repository: string; findings: { package: string }[] } };
    expect(alert.team).toBe('platform');
    expect(alert.repository).toBe('inspector2');
    expect(alert.findings.map((finding) => finding.package)).toEqual(['libssl3t64', 'openssl']);
  });
});

describe('dockmaster render-alert --json: in-use data', () => {
  it('includes "inUse" from the real 2021 Inspector2 Finding sample (inUseCount 1, lastInUseAt)', async () => {
    // Prepare: the sample is MEDIUM, so the threshold goes down to MEDIUM
    const event = sampleEvent('inspector2-finding-ecr.json');
    const config = file('medium.yaml', readFileSync(EXAMPLE_CONFIG, 'utf8').replace('minSeverity: CRITICAL', 'minSeverity: MEDIUM'));

    // Act
    const { code, stdout } = await run(['--config', config, '--json', event]);

    // Assess
    expect(code).toBe(0);
    const { alert } = JSON.parse(stdout) as { alert: Record<string, unknown> };
    expect(alert['inUse']).toEqual({ count: 1, lastInUseAt: '2021-12-03T18:02:13.000Z' });
    expect(Object.keys(alert).at(-1)).toBe('inUse');
  });

  it('includes only the fields the findings file has, read from the enhanced findings of DescribeImageScanFindings', async () => {
    // Prepare: the enhanced fixture with inUseCount (and no lastInUseAt) on its image, as AWS CLI v2 prints it
    const page = readJson('packages/core/src/scan-alert/fixtures/describe-image-scan-findings.enhanced.page1.json') as {
      imageScanFindings: { enhancedFindings: { resources?: { details: { awsEcrContainerImage: object } }[] }[] };
    };
    const enhancedFindings = page.imageScanFindings.enhancedFindings.map((finding) => ({
      ...finding,
      ...(finding.resources
        ? { resources: finding.resources.map((resource) => ({ ...resource, details: { awsEcrContainerImage: { ...resource.details.awsEcrContainerImage, inUseCount: 0 } } })) }
        : {}),
    }));
    const findings = file('enhanced.json', { ...page, imageScanFindings: { ...page.imageScanFindings, enhancedFindings } });
    const event = file('scan.json', paymentsScanEvent());

    // Act
    const { code, stdout } = await run(['--config', EXAMPLE_CONFIG, '--json', '--findings', findings, event]);

    // Assess
    expect(code).toBe(0);
    const { alert } = JSON.parse(stdout) as { alert: Record<string, unknown> };
    expect(alert['inUse']).toEqual({ count: 0 });
  });

  it('has no "inUse" for basic scanning, and the human output says basic scanning cannot tell', async () => {
    // Prepare
    const event = file('scan.json', paymentsScanEvent());

    // Act
    const json = await run(['--config', EXAMPLE_CONFIG, '--json', '--findings', BASIC_FINDINGS, event]);
    const human = await run(['--config', EXAMPLE_CONFIG, '--findings', BASIC_FINDINGS, event]);

    // Assess
    expect((JSON.parse(json.stdout) as { alert: object }).alert).not.toHaveProperty('inUse');
    expect(human.stdout).toContain('In use:   not known: basic scanning does not report whether an image runs (Amazon Inspector enhanced scanning does)');
  });
});

describe('dockmaster render-alert (human)', () => {
  it('prints the subject and body on-call would receive', async () => {
    // Prepare
    const event = file('scan.json', paymentsScanEvent());

    // Act
    const { code, stdout } = await run(['--config', EXAMPLE_CONFIG, '--findings', BASIC_FINDINGS, event]);

    // Assess
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      'Subject: [CRITICAL] prod/payments/api:1.4.2 — 2 critical vulnerabilities',
      '',
      '2 critical vulnerabilities at or above CRITICAL in prod/payments/api:1.4.2.',
    ]);
    expect(stdout).toContain('  CRITICAL CVE-2023-38545  curl 7.88.1-10+deb12u3 (fixed version not known)');
    expect(stdout).toContain('Team:     payments');
  });

  it('says why nothing would be sent, and how to pass the findings a scan event needs', async () => {
    // Prepare
    const event = file('scan.json', paymentsScanEvent());

    // Act
    const { code, stdout } = await run(['--config', EXAMPLE_CONFIG, event]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('No alert would be sent: the scan of prod/payments/api@');
    expect(stdout).toContain(`aws ecr describe-image-scan-findings --region eu-central-1 --registry-id 111122223333 --repository-name prod/payments/api --image-id imageDigest=${DIGEST}`);
  });
});

describe('dockmaster render-alert: Inspector2 Coverage', () => {
  it('says the image is no longer scanned and, with no stored alert, that there is nothing to resolve', async () => {
    // Prepare: the constructed coverage sample (test/fixtures/aws-events/SOURCES.md)
    const event = sampleEvent('inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json');

    // Act
    const { code, stdout } = await run(['--config', EXAMPLE_CONFIG, event]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(
      'No alert would be sent: Inspector set its scan status to INACTIVE (SCAN_ELIGIBILITY_EXPIRED) for amazon/amazon-ecs-sample@sha256:36c7b282abd0186e01419f2e58743e1bf635808231049bbc9d77e5d4e7b6a8c1: it is no longer scanned; nothing was alerted for it',
    );
  });
});

describe('dockmaster render-alert: bad input exits 2 with a clear message', () => {
  it.each([
    ['an unreadable event file', () => [join(directory, 'missing.json')], /cannot read event .*missing\.json: no such file/],
    ['an event file that is not JSON', () => [file('broken.json', '{ "detail-type": ')], /broken\.json is not valid JSON \(event\)/],
    [
      'the AWS sample with a trailing comma (invalid JSON)',
      () => [sampleEvent('ecr-pull-through-cache-action.json')],
      /ecr-pull-through-cache-action\.json is not valid JSON/,
    ],
    [
      'an event that is not a scan or Inspector event',
      () => [sampleEvent('ecr-image-action-push-success.json')],
      /is a "ECR Image Action" event; render-alert reads "ECR Image Scan", "Inspector2 Scan", "Inspector2 Finding", "Inspector2 Coverage" events/,
    ],
    [
      'a scan event with a missing required field',
      () => {
        const event = paymentsScanEvent();
        const { 'image-digest': _removed, ...detail } = event['detail'] as Record<string, unknown>;
        return [file('no-digest.json', { ...event, detail })];
      },
      /no-digest\.json: not a scan event Dockmaster can read: detail\.image-digest/,
    ],
    [
      'a findings file of the wrong shape',
      () => [file('scan.json', paymentsScanEvent()), '--findings', file('wrong.json', { findings: [{ name: 'CVE-1' }] })],
      /wrong\.json is not a DescribeImageScanFindings response: expected an object with "imageScanFindings"/,
    ],
    [
      'a findings file whose findings have the wrong types',
      () => [file('scan.json', paymentsScanEvent()), '--findings', file('types.json', { imageScanFindings: { findings: [{ name: 42 }] } })],
      /types\.json is not a DescribeImageScanFindings response: imageScanFindings\.findings\.0\.name/,
    ],
    ['an unknown option', () => [file('scan.json', paymentsScanEvent()), '--severity', 'HIGH'], /Unknown option '--severity'/],
    ['no event file', () => [], /expected <event\.json>, got 0 argument\(s\)/],
  ])('%s', async (_case, args, message) => {
    // Prepare
    const argv = ['--config', EXAMPLE_CONFIG, ...args()];

    // Act
    const { code, stdout, stderr } = await run(argv);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('requires --config', async () => {
    // Prepare
    const event = file('scan.json', paymentsScanEvent());

    // Act
    const { code, stderr } = await run([event]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('--config <file> is required');
  });
});

describe('dockmaster render-alert: findings of another repository', () => {
  it('warns on stderr, as for another digest, and still renders', async () => {
    // Prepare: the findings file says prod/payments/api; the event is for another repository with the same digest.
    const event = paymentsScanEvent();
    const detail = event['detail'] as Record<string, unknown>;
    const other = file('other-repository.json', { ...event, detail: { ...detail, 'repository-name': 'prod/checkout/api' } });

    // Act
    const { code, stdout, stderr } = await run(['--config', EXAMPLE_CONFIG, '--findings', BASIC_FINDINGS, other]);

    // Assess
    expect(code).toBe(0);
    expect(stderr).toContain(`warning: ${BASIC_FINDINGS} is for the repository prod/payments/api, the event for prod/checkout/api; rendering them together anyway`);
    expect(stdout).toContain('prod/checkout/api');
  });
});
