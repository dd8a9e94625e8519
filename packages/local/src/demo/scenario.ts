import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, GetRepositoryPolicyCommand, ListImagesCommand, RepositoryAlreadyExistsException } from '@aws-sdk/client-ecr';
import { DockmasterEventType } from '@dockmaster/core/constants';
import type { DeliveredAlert } from '../bus/index.js';
import type { OnDemandTrigger } from '../runner/index.js';
import { CRITICAL_FINDINGS } from './critical-findings.js';
import { writeDemoImage } from './demo-image.js';
import { inspectImage, pushOciLayout } from './skopeo.js';

/** What the scenario needs from a running stack; the demo script gives it the control API of another process. */
interface DemoStack {
  registryHost: string;
  awsUrl: string;
  region: string;
  /** Resolves when every worker is idle. */
  idle(): Promise<unknown>;
  trigger(name: OnDemandTrigger): Promise<unknown>;
  scan(reference: string, findings: unknown): Promise<unknown>;
  alerts(): Promise<DeliveredAlert[]>;
}

interface StepResult {
  step: string;
  expected: string;
  observed: string;
  ok: boolean;
  /** From the action that should trigger the automation to all workers idle again. */
  latencyMs: number;
}

const DEMO_REPOSITORY = 'prod/payments/api';
const COMPLIANT_TAG = '1.4.2';
const FORBIDDEN_TAG = 'latest';
const CACHED_REPOSITORY = 'k8s/pause';
const PULL_ACCOUNTS = ['444455556666', '777788889999'];

const timed = async (action: () => Promise<unknown>, settle: () => Promise<unknown>): Promise<number> => {
  await action();
  const started = performance.now();
  await settle();
  return Math.round(performance.now() - started);
};

/** Alerts, not deliveries: one alert reaches each of the team's destinations (e-mail, chat, PagerDuty). */
const scanAlertsFor = (alerts: readonly DeliveredAlert[], team: string): number =>
  new Set(alerts.filter((alert) => alert.detailType === DockmasterEventType.ScanAlert && alert.team === team).map((alert) => alert.eventId)).size;

/**
 * The demo: every automation once, end to end, against a running stack (real registries, real skopeo, the
 * production workers). Each step reports what was expected, what was observed and how long it took.
 */
const runDemoScenario = async (stack: DemoStack, onStep: (result: StepResult) => void = () => undefined): Promise<StepResult[]> => {
  const ecr = new ECRClient({ endpoint: stack.awsUrl, region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const results: StepResult[] = [];
  const record = (result: StepResult): void => {
    results.push(result);
    onStep(result);
  };
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: DEMO_REPOSITORY })).catch((error: unknown) => {
      if (!(error instanceof RepositoryAlreadyExistsException)) throw error;
    });
    const image = await writeDemoImage();

    // 1. Tag policy: the compliant tag stays, the forbidden tag of the same digest is removed.
    const pushLatency = await timed(async () => {
      await pushOciLayout(image.layoutDir, image.ref, stack.registryHost, DEMO_REPOSITORY, COMPLIANT_TAG);
      await pushOciLayout(image.layoutDir, image.ref, stack.registryHost, DEMO_REPOSITORY, FORBIDDEN_TAG);
    }, stack.idle);
    const listed = await ecr.send(new ListImagesCommand({ repositoryName: DEMO_REPOSITORY }));
    const tags = (listed.imageIds ?? []).map((id) => id.imageTag).filter((tag): tag is string => tag !== undefined).sort();
    record({
      step: `push ${DEMO_REPOSITORY}:${COMPLIANT_TAG} and :${FORBIDDEN_TAG}`,
      expected: `tags [${COMPLIANT_TAG}]`,
      observed: `tags [${tags.join(', ')}]`,
      ok: tags.length === 1 && tags[0] === COMPLIANT_TAG,
      latencyMs: pushLatency,
    });

    // 2. Cache repository: a first pull creates the repository, which gets the cross-account policy.
    const pullLatency = await timed(() => inspectImage(stack.registryHost, CACHED_REPOSITORY, '3.9'), stack.idle);
    const policy = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: CACHED_REPOSITORY })).catch(() => undefined);
    const policyText = policy?.policyText ?? '';
    record({
      step: `first pull ${CACHED_REPOSITORY}:3.9`,
      expected: `policy grants ${PULL_ACCOUNTS.join(', ')}`,
      observed: policyText === '' ? 'no policy' : `policy grants ${PULL_ACCOUNTS.filter((account) => policyText.includes(account)).join(', ') || 'neither'}`,
      ok: PULL_ACCOUNTS.every((account) => policyText.includes(account)),
      latencyMs: pullLatency,
    });

    // 3. Prepopulate: the allow-list is warmed into the cache without anyone pulling it.
    const warmLatency = await timed(() => stack.trigger('prepopulate'), stack.idle);
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: CACHED_REPOSITORY })).catch(() => undefined);
    const cachedTags = (described?.imageDetails ?? []).flatMap((detail) => detail.imageTags ?? []).sort();
    record({
      step: 'trigger prepopulate',
      expected: `${CACHED_REPOSITORY} has 3.10, 3.9`,
      observed: `${CACHED_REPOSITORY} has ${cachedTags.join(', ') || 'nothing'}`,
      ok: cachedTags.includes('3.9') && cachedTags.includes('3.10'),
      latencyMs: warmLatency,
    });

    // 4. Scan alert: a CRITICAL scan alerts the owning team once; the same result again alerts nobody.
    const reference = `${DEMO_REPOSITORY}:${COMPLIANT_TAG}`;
    const before = scanAlertsFor(await stack.alerts(), 'payments');
    const scanLatency = await timed(() => stack.scan(reference, CRITICAL_FINDINGS), stack.idle);
    const afterFirst = scanAlertsFor(await stack.alerts(), 'payments');
    record({ step: `CRITICAL scan of ${reference}`, expected: '1 alert to team payments', observed: `${afterFirst - before} alert(s) to team payments`, ok: afterFirst - before === 1, latencyMs: scanLatency });

    const repeatLatency = await timed(() => stack.scan(reference, CRITICAL_FINDINGS), stack.idle);
    const afterRepeat = scanAlertsFor(await stack.alerts(), 'payments');
    record({ step: 'same scan result again', expected: 'no new alert', observed: `${afterRepeat - afterFirst} new alert(s)`, ok: afterRepeat === afterFirst, latencyMs: repeatLatency });
  } finally {
    ecr.destroy();
  }
  return results;
};

/** The summary table the demo prints. */
const renderSummaryTable = (results: readonly StepResult[]): string => {
  const header = ['step', 'expected', 'observed', 'ok', 'latency ms'];
  const rows = results.map((result) => [result.step, result.expected, result.observed, result.ok ? 'yes' : 'NO', String(result.latencyMs)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
};

export { renderSummaryTable, runDemoScenario };
export type { DemoStack, StepResult };
