import { GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { captureIo, createRedriveCommand } from '@dockmaster/cli/testing';
import { AutomationId, DockmasterEventType } from '@dockmaster/core/constants';
import type { BusDelivery } from '@dockmaster/local/bus';
import { inspectImage } from '@dockmaster/local/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureWorkerLogs } from '../support/worker-logs.js';
import { startFaultsStack, type FaultsStack } from './faults-stack.js';

/*
 * The recovery path end to end on the local stack: a permanent fault sends the work to the DLQ, the cause is
 * fixed, `dockmaster redrive` moves the messages back and the worker finishes the job, once.
 */

let harness: FaultsStack;
const deliveries: BusDelivery[] = [];

const redrive = async (args: string[]) => {
  const { io, out, err } = captureIo();
  const code = await createRedriveCommand({ stateDir: () => harness.stateDir }).run(args, io);
  return { code, out, err };
};

const queueOf = (automation: AutomationId) => harness.stack.status().automations.find((status) => status.automation === automation);
const configured = () => deliveries.filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] === DockmasterEventType.CacheRepositoryConfigured);
const eventsIn = () => deliveries.filter((delivery) => delivery.bus === 'default' && delivery.automations.includes(AutomationId.CacheRepository));
const hasPolicy = async (repositoryName: string): Promise<boolean> => {
  try {
    await harness.ecr.send(new GetRepositoryPolicyCommand({ repositoryName }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'RepositoryPolicyNotFoundException') return false;
    throw error;
  }
};

beforeAll(async () => {
  harness = await startFaultsStack();
  harness.stack.bus.onDelivery((delivery) => void deliveries.push(delivery));
});

afterAll(async () => {
  await harness?.stop();
});

describe('dockmaster redrive after a fix', () => {
  it('lists the dead letters with --dry-run, then moves them back once the permission is fixed, and the repository gets its policy once', async () => {
    // Prepare: the worker may not set repository policies; a cluster's first pull creates k8s/pause.
    await harness.control.injectFault({ operation: 'SetRepositoryPolicy', kind: 'AccessDeniedException', count: 1_000 });
    const logs = captureWorkerLogs();
    try {
      await inspectImage(new URL(harness.stack.urls.registry).host, 'k8s/pause', '3.9');
      await harness.stack.drain(30_000);
    } finally {
      logs.restore();
    }
    const deadLettered = (await harness.deadLetters(AutomationId.CacheRepository)).length;

    // Act: look first, fix (the permission comes back), then redrive.
    const dryRun = await redrive(['--queue', 'cache-repository', '--dry-run']);
    const afterDryRun = queueOf(AutomationId.CacheRepository);
    await harness.control.clearFaults();
    const moved = await redrive(['--queue', 'cache-repository']);
    await harness.stack.drain(30_000);

    // Assess
    expect(deadLettered).toBe(eventsIn().length);
    expect(logs.errors().map(({ message, service }) => `${service}: ${message}`)).toEqual(
      Array.from({ length: deadLettered }, () => 'cache-repository: record failed permanently (AccessDeniedException): retrying cannot help'),
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.out.filter((line) => line.startsWith('would move ') && line.includes('AccessDeniedException: User: '))).toHaveLength(deadLettered);
    expect(afterDryRun).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetter: { visible: deadLettered } });
    expect(moved.code).toBe(0);
    expect(moved.out.at(-1)).toBe(`moved ${deadLettered}, failed 0, remaining 0 in dockmaster-local-cache-repository-dlq`);
    expect(await hasPolicy('k8s/pause')).toBe(true);
    // Every event in was redriven and processed; the policy was set by the first, the others found it done.
    expect(configured()).toHaveLength(1);
    expect(queueOf(AutomationId.CacheRepository)).toMatchObject({ queue: { visible: 0, inFlight: 0 }, deadLetter: { visible: 0 } });
  });
});
