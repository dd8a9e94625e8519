import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { EMITTED_EVENT_BYTES, utf8Bytes } from '@dockmaster/core/limits';
import { ScanStatus } from '@dockmaster/core/events/vocabulary';
import { WORKERS_VARIABLE } from '@dockmaster/local/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * The new-user report: a suppression widened to every repository, with a long reason, hides CVE-2023-44487 in
 * hundreds of packages of an image that also has a CRITICAL curl finding. Every suppressed finding repeats the
 * reason in the alert, and the alert was saved (outbox) in one DynamoDB item before it was sent: the item outgrew
 * DynamoDB's 400 KB, the record was dead-lettered and the CRITICAL alert never arrived. Run on the bundled workers.
 */

const SUPPRESSED_PACKAGES = 800;

const findingsFile = () => ({
  imageScanStatus: { status: ScanStatus.Complete, description: 'The scan was completed successfully.' },
  imageScanFindings: {
    findings: [
      {
        name: 'CVE-2023-38545',
        uri: 'https://nvd.nist.gov/vuln/detail/CVE-2023-38545',
        severity: 'CRITICAL',
        attributes: [
          { key: 'package_name', value: 'curl' },
          { key: 'package_version', value: '7.88.1-10+deb12u1' },
        ],
      },
      ...Array.from({ length: SUPPRESSED_PACKAGES }, (_, index) => ({
        name: 'CVE-2023-44487',
        uri: 'https://nvd.nist.gov/vuln/detail/CVE-2023-44487',
        severity: 'CRITICAL',
        attributes: [
          { key: 'package_name', value: `nghttp2-vendored-${index}` },
          { key: 'package_version', value: '1.52.0-1' },
        ],
      })),
    ],
  },
});

let e2e: TestStack;
let configDir: string;
const previousWorkers = process.env[WORKERS_VARIABLE];

beforeAll(async () => {
  process.env[WORKERS_VARIABLE] = 'bundled';
  configDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-alert-size-'));
  const example = await readFile(EXAMPLE_CONFIG, 'utf8');
  const widened = example.replace(
    /repositories: \["k8s\/\*\*"\]\n(\s+)reason: "[^"]*"/,
    (_, indent: string) => `repositories: ["**"]\n${indent}reason: "${'HTTP/2 rapid reset: not exposed. '.repeat(15).slice(0, 500)}"`,
  );
  if (widened === example) throw new Error('the example configuration no longer has the CVE-2023-44487 suppression this test widens');
  const configPath = path.join(configDir, 'widened-suppression.yaml');
  await writeFile(configPath, widened);
  e2e = await startTestStack({ prefix: 'alert-size', configPath, demoImage: true });
}, 120_000);

afterAll(async () => {
  await e2e?.stop();
  if (configDir !== undefined) await rm(configDir, { recursive: true, force: true });
  if (previousWorkers === undefined) delete process.env[WORKERS_VARIABLE];
  else process.env[WORKERS_VARIABLE] = previousWorkers;
});

describe('local stack: a scan alert with hundreds of suppressed findings', () => {
  it('delivers the CRITICAL alert, its lists and message cut to a bounded size, and dead-letters nothing', async () => {
    // Prepare
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
    await e2e.push('prod/payments/api', '1.4.2');
    await e2e.stack.waitForIdle(20_000);

    // Act
    await e2e.stack.scan('prod/payments/api:1.4.2', findingsFile());
    await e2e.stack.waitForIdle(30_000);

    // Assess
    const alerts = e2e.stack.deliveredAlerts().filter((alert) => alert.detailType === DockmasterEventType.ScanAlert && alert.team === 'payments');
    expect(alerts).toHaveLength(1);
    const detail = alerts[0]!.detail as { severity: string; findings: Array<{ id: string }>; suppressed: unknown[]; omitted: Record<string, number>; message: { body: string } };
    expect(detail.severity).toBe('CRITICAL');
    expect(detail.findings.map((finding) => finding.id)).toEqual(['CVE-2023-38545']);
    expect(detail.suppressed.length + detail.omitted['suppressed']!).toBe(SUPPRESSED_PACKAGES);
    expect(detail.message.body).toContain(`... and ${SUPPRESSED_PACKAGES - 10} more suppressed`);
    expect(utf8Bytes(JSON.stringify(detail))).toBeLessThanOrEqual(EMITTED_EVENT_BYTES);
    expect(e2e.stack.log.recent().filter((line) => /dead-letter|failed permanently/i.test(line))).toEqual([]);
  }, 90_000);
});
