import { EcrActionType } from '@dockmaster/core/events/vocabulary';
import { imageActionEvent } from '@dockmaster/local/bus';
import { queueName, deadLetterQueueName, type LocalStack } from '@dockmaster/local/stack';
import { RegistryClient } from '@dockmaster/registry/client';
import { buildImage, pushImage } from '@dockmaster/registry/oci';

/**
 * The burst benchmark: N push events over R repositories of an enforce-mode tag policy, all put on the bus at
 * once, as a monorepo release does. Every tag exists in the local registry (seeded straight into the
 * Distribution behind the local ECR, so seeding emits no events), so a violating tag is really removed
 * (DescribeImages, then BatchDeleteImage) through the throttled ECR endpoint. Latency is from the moment the
 * event was put on the bus to the end of the worker invocation that settled it.
 */

interface BurstResult {
  events: number;
  repositories: number;
  violating: number;
  done: number;
  /** Neither done nor in the dead-letter queue when the stack went idle (failed, waiting for a retry). */
  lost: number;
  deadLettered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Of the latency: put on the bus until a worker received the event (p50, p99), and received until settled. */
  queuedP50Ms: number;
  queuedP99Ms: number;
  invocationP50Ms: number;
  invocationP99Ms: number;
  /** CPU time (user + system) of this process from the first event put on the bus to idle: workers and local stack. */
  processCpuMs: number;
  seconds: number;
}

const percentile = (sorted: readonly number[], fraction: number): number => {
  if (sorted.length === 0) return Number.NaN;
  // Nearest-rank: the smallest value with at least `fraction` of the samples at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
};

/** Seeds one labelled image per repository under every tag the burst names; returns its digest. */
const seedImages = async (stack: LocalStack, repositories: readonly string[], tagsPerRepository: readonly string[]): Promise<string> => {
  const image = buildImage({
    layers: [{ seed: 'scale-burst', size: 512 }],
    // The labels the example policy requires, so compliant tags are compliant for their labels too.
    labels: {
      'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
      'org.opencontainers.image.source': 'https://github.com/acme/scale',
      'org.opencontainers.image.created': '2026-12-01T00:00:00Z',
    },
  });
  const client = new RegistryClient({ baseUrl: stack.ecr.distributionUrl });
  const queue = [...repositories];
  const worker = async (): Promise<void> => {
    for (let repository = queue.shift(); repository !== undefined; repository = queue.shift()) {
      await stack.ecr.createRepository({ repositoryName: repository });
      const [first, ...others] = tagsPerRepository;
      await pushImage(client, repository, first!, image);
      for (const tag of others) await client.putManifest(repository, tag, image.manifest, image.mediaType);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return image.manifestDigest;
};

const runBurst = async (stack: LocalStack, options: { events: number; repositories: number }): Promise<BurstResult> => {
  const tagsPerRepository = Math.ceil(options.events / options.repositories);
  // Every fifth tag violates (20 %): a release pushes mostly versions; `latest` and `nightly-*` slip in.
  const tags = Array.from({ length: tagsPerRepository }, (_, index) => {
    if (index % 5 !== 4) return `1.${index}.0`;
    return Math.floor(index / 5) % 2 === 0 ? 'latest' : `nightly-${index}`;
  });
  const repositories = Array.from({ length: options.repositories }, (_, index) => `prod/scale/service-${String(index).padStart(3, '0')}`);
  // Settle the repository-created events before the burst starts (they reach no worker, but the bus sees them).
  const digest = await seedImages(stack, repositories, tags);
  await stack.drain(60_000);

  const tagPolicyQueue = stack.sqs.queue(queueName(stack.topology, 'tag-policy'));
  const deadLetterQueue = stack.sqs.queue(deadLetterQueueName(stack.topology, 'tag-policy'));
  const publishedAt = new Map<string, number>();
  const doneAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  const originalReceiveBatch = tagPolicyQueue.receiveBatch.bind(tagPolicyQueue);
  tagPolicyQueue.receiveBatch = (max) => {
    const records = originalReceiveBatch(max);
    const now = performance.now();
    for (const record of records) {
      const id = (JSON.parse(record.body) as { id: string }).id;
      if (!receivedAt.has(id)) receivedAt.set(id, now);
    }
    return records;
  };
  const originalSettle = tagPolicyQueue.settle.bind(tagPolicyQueue);
  tagPolicyQueue.settle = (records, failures) => {
    const failed = new Set(failures.map((failure) => failure.itemIdentifier));
    const now = performance.now();
    for (const record of records) {
      if (failed.has(record.messageId)) continue;
      const id = (JSON.parse(record.body) as { id: string }).id;
      if (!doneAt.has(id)) doneAt.set(id, now);
    }
    originalSettle(records, failures);
  };

  const origin = { account: stack.config.registry.accountId, region: stack.config.registry.region };
  let violating = 0;
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  try {
    for (let index = 0; index < options.events; index += 1) {
      const repository = repositories[index % repositories.length]!;
      const tag = tags[Math.floor(index / repositories.length) % tags.length]!;
      if (!/^\d+\.\d+\.\d+$/.test(tag)) violating += 1;
      const event = imageActionEvent(origin, { actionType: EcrActionType.Push, repository, digest, tag });
      publishedAt.set(event.id, performance.now());
      stack.bus.publish(event);
    }
    await stack.drain(600_000);
  } finally {
    tagPolicyQueue.settle = originalSettle;
    tagPolicyQueue.receiveBatch = originalReceiveBatch;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  const deadLetterIds = new Set<string>();
  for (let batch = deadLetterQueue.receiveBatch(10); batch.length > 0; batch = deadLetterQueue.receiveBatch(10)) {
    for (const record of batch) deadLetterIds.add((JSON.parse(record.body) as { id: string }).id);
  }
  const latencies = [...doneAt].map(([id, at]) => at - publishedAt.get(id)!).sort((a, b) => a - b);
  const sorted = (values: number[]): number[] => values.sort((a, b) => a - b);
  const queued = sorted([...doneAt.keys()].map((id) => (receivedAt.get(id) ?? Number.NaN) - publishedAt.get(id)!));
  const invocation = sorted([...doneAt].map(([id, at]) => at - (receivedAt.get(id) ?? Number.NaN)));
  const lost = [...publishedAt.keys()].filter((id) => !doneAt.has(id) && !deadLetterIds.has(id)).length;
  return {
    events: publishedAt.size,
    repositories: repositories.length,
    violating,
    done: doneAt.size,
    lost,
    deadLettered: [...publishedAt.keys()].filter((id) => deadLetterIds.has(id)).length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    queuedP50Ms: percentile(queued, 0.5),
    queuedP99Ms: percentile(queued, 0.99),
    invocationP50Ms: percentile(invocation, 0.5),
    invocationP99Ms: percentile(invocation, 0.99),
    processCpuMs: (cpu.user + cpu.system) / 1000,
    seconds,
  };
};

export { percentile, runBurst };
export type { BurstResult };
