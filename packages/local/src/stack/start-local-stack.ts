import { existsSync } from 'node:fs';
import path from 'node:path';
import { renderCreationTemplates } from '@dockmaster/core/cache-repository';
import { type AutomationId, CacheMode } from '@dockmaster/core/constants';
import { CONFIG_ITEM_ID, configMarker, formatConfigMarker, type DockmasterConfig } from '@dockmaster/core/config';
import { buildTopology, partitionOf, type Topology } from '@dockmaster/core/topology';
import { startDistribution, type RunningDistribution } from '@dockmaster/registry/testing';
import { RequestThrottle, startAwsEndpoint, type RunningAwsEndpoint } from '../aws-endpoint/index.js';
import { AlertSink, createRepositoryApiCallEvent, imageActionEvent, LocalBus, parameterStoreChangeEvent, type DeliveredAlert, type EventOrigin } from '../bus/index.js';
import { ecrService, LocalEcr } from '../ecr/index.js';
import { describeDelivery, describeRunnerEvent, LiveLog, type LiveLogOptions } from '../live-log/index.js';
import { startRegistryFront, type RunningRegistryFront } from '../registry-front/index.js';
import { LocalRunner, loadWorker, type AutomationStatus, type OnDemandTrigger, type WorkerModule } from '../runner/index.js';
import { LocalSqs } from '../sqs/index.js';
import { LocalSsm } from '../ssm/index.js';
import { startUpstream, type RunningUpstream } from '../upstreams/index.js';
import { startControlServer, type RunningControlServer } from '../control/control-server.js';
import { loadStackConfig } from './config-file.js';
import { startLocalDynamo } from './local-dynamo.js';
import { freeLoopbackPort } from './ports.js';
import { queueDeclarations, queueName } from './queues.js';
import { recordScan, type RecordedScan } from './record-scan.js';
import { applyEnvironment, upstreamEndpointsEnvironment, workerEnvironment } from './worker-environment.js';

/** Names of the local stack's resources, in the form infra gives them for a stage called `local`. */
const LOCAL_CONFIG_PARAMETER = '/dockmaster/local/config';
const LOCAL_BUS_NAME = 'dockmaster-local';
const CONFIG_TABLE = 'dockmaster-local-config';
const IDEMPOTENCY_TABLE = 'dockmaster-local-idempotency';
const STATE_TABLE = 'dockmaster-local-state';

interface StartLocalStackOptions {
  configPath: string;
  /** alerts.jsonl goes here; default `.dockmaster/local` under the current directory. */
  stateDir?: string;
  /** Fixed ports instead of free ones (registry = the registry front docker/skopeo use). */
  ports?: { registry?: number; aws?: number; control?: number };
  /** Where the live log goes; default nowhere (tests read `log.recent()`). */
  log?: LiveLogOptions;
  /** Replaces the in-process import of the workers (tests of the stack itself). */
  /** Loads one execution environment's instance of a worker (environments are numbered from 0). */
  loadWorker?: (handler: string, environment: number) => Promise<WorkerModule>;
  /** Called after stop() finished, whoever asked for it (the control API's stop included). */
  onStopped?: () => void;
  /**
   * ECR's per-action request rates (aws-endpoint/throttle.ts): 'ecr-quotas' (default) answers ThrottlingException
   * past them as ECR does; 'off' never throttles.
   */
  ecrThrottle?: 'ecr-quotas' | 'off';
  /** Batches a worker runs at once (Lambda's concurrent SQS pollers); default the runner's (see LocalRunner). */
  concurrency?: Partial<Record<AutomationId, number>>;
}

interface LocalStackUrls {
  /** The registry front: `skopeo ... docker://127.0.0.1:<port>/<repo>:<tag>`. */
  registry: string;
  /** The AWS endpoint (ECR, SQS, SSM, EventBridge): AWS_ENDPOINT_URL. */
  aws: string;
  /** dynalite (the config, idempotency and state tables): AWS_ENDPOINT_URL_DYNAMODB. */
  dynamo: string;
  /** Stand-in upstream per pull-through-cache upstream, e.g. `registry.k8s.io`. */
  upstreams: Record<string, string>;
  /** The control API the CLI uses (loopback, token in the state file). */
  control: string;
}

interface LocalStackStatus {
  pid: number;
  readyMs: number;
  configPath: string;
  urls: LocalStackUrls;
  automations: AutomationStatus[];
  alerts: number;
  recentLog: string[];
}

interface LocalStack {
  urls: LocalStackUrls;
  /** Milliseconds from the call to everything serving. */
  readyMs: number;
  /** The token the control API requires (Bearer). */
  controlToken: string;
  config: DockmasterConfig;
  topology: Topology;
  ecr: LocalEcr;
  /** The ECR request rates in force, with counts of admitted and throttled requests; undefined when off. */
  ecrThrottle: RequestThrottle | undefined;
  sqs: LocalSqs;
  ssm: LocalSsm;
  bus: LocalBus;
  runner: LocalRunner;
  alerts: AlertSink;
  log: LiveLog;
  status(): LocalStackStatus;
  /** Records scan findings for an image and emits `ECR Image Scan` COMPLETE, as basic scanning would. */
  scan(reference: string, findings: unknown): Promise<RecordedScan>;
  trigger(name: OnDemandTrigger): AutomationId;
  deliveredAlerts(): DeliveredAlert[];
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Processes everything queued now, batching windows cut short, and resolves when idle. */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops everything the stack started, in reverse order. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves once the stack has stopped, whoever stopped it (the control API's stop included). */
  stopped: Promise<void>;
}

type Stoppable = { name: string; stop: () => Promise<void> | void };

/** The config table's one item, as the deploy writes it (infra/storage.ts): hash key `id`, the content in `value`. */
const configItem = (stored: string) => ({ id: { S: CONFIG_ITEM_ID }, value: { S: stored } });

interface StartedCache {
  prefix: string;
  mode: CacheMode;
  /** The upstream registry the rule names, e.g. registry.k8s.io. */
  upstreamHost: string;
  upstream: RunningUpstream;
  /** The Distribution in proxy mode that is this prefix's pull-through cache; none in copy mode. */
  proxy: RunningDistribution | undefined;
}

/** Waits for every start; what started is registered for stopping even when another start failed. */
const settleStarts = async <T>(starts: readonly Promise<T>[], register: (started: T) => void): Promise<T[]> => {
  const settled = await Promise.allSettled(starts);
  for (const result of settled) if (result.status === 'fulfilled') register(result.value);
  const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
};

/**
 * One upstream stand-in seeded with the rule's allow-list, and the cache in front of it. A copy-mode rule has
 * no cache: the prepopulate worker copies from the stand-in into the private registry, through the front.
 */
const startCache = async (rule: DockmasterConfig['pullThroughCache'][number]): Promise<StartedCache> => {
  const upstream = await startUpstream(rule);
  const started = { prefix: rule.prefix, mode: rule.mode, upstreamHost: rule.upstream, upstream };
  if (rule.mode === CacheMode.Copy) return { ...started, proxy: undefined };
  try {
    const proxy = await startDistribution({ name: `cache-${rule.prefix}`, proxyRemoteUrl: upstream.url });
    return { ...started, proxy };
  } catch (error) {
    await upstream.stop();
    throw error;
  }
};

/**
 * The local stack: real Distribution registries (private, one stand-in upstream per prefix and a pull-through
 * cache for each cache-mode prefix) behind the registry front, the local AWS endpoint, dynalite, and the production workers run
 * in-process from the SAME topology infra deploys. A development tool, not a production registry.
 */
const startLocalStack = async (options: StartLocalStackOptions): Promise<LocalStack> => {
  const startedAt = performance.now();
  const configPath = path.resolve(options.configPath);
  const stateDir = path.resolve(options.stateDir ?? path.join('.dockmaster', 'local'));
  const { config, stored, warnings } = await loadStackConfig(configPath);
  const topology = buildTopology(config, { configParameterName: LOCAL_CONFIG_PARAMETER, busName: LOCAL_BUS_NAME });
  const origin: EventOrigin = { account: config.registry.accountId, region: config.registry.region };
  const log = new LiveLog(options.log);
  for (const warning of warnings) log.warning(`config warning: ${warning}`);

  const stoppables: Stoppable[] = [];
  const register = (stoppable: Stoppable): void => {
    stoppables.push(stoppable);
  };
  const stopAll = async (): Promise<void> => {
    for (const stoppable of stoppables.splice(0).reverse()) {
      try {
        await stoppable.stop();
      } catch (error) {
        log.error(`stopping ${stoppable.name} failed: ${(error as Error).message}`);
      }
    }
  };

  try {
    const [registryPort, awsPort, dynamoPort] = await Promise.all([
      options.ports?.registry ?? freeLoopbackPort(),
      options.ports?.aws ?? freeLoopbackPort(),
      freeLoopbackPort(),
    ]);
    const registryUrl = `http://127.0.0.1:${registryPort}`;
    const awsUrl = `http://127.0.0.1:${awsPort}`;
    const deployed = new Set(topology.automations.filter((automation) => automation.rules.length > 0).map((automation) => automation.id));
    const sqs = new LocalSqs({ queues: queueDeclarations(topology), accountId: origin.account, region: origin.region });
    const queueFor = (automation: AutomationId) => (deployed.has(automation) ? sqs.queue(queueName(topology, automation)) : undefined);

    // Before the workers are imported: Powertools reads its settings when a handler module creates its logger.
    register({
      name: 'worker environment',
      stop: applyEnvironment(
        workerEnvironment({
          topology,
          awsEndpointUrl: awsUrl,
          dynamoEndpointUrl: `http://127.0.0.1:${dynamoPort}`,
          configTable: CONFIG_TABLE,
          idempotencyTable: IDEMPOTENCY_TABLE,
          stateTable: STATE_TABLE,
          prepopulateQueueUrl: deployed.has('prepopulate') ? sqs.queueUrl(queueName(topology, 'prepopulate'), awsUrl) : undefined,
        }),
      ),
    });

    const load = options.loadWorker ?? loadWorker;
    // Imported while the registries start: loading the SDK and Powertools is the slowest part of a cold start.
    // (the first execution environment of each worker; further environments load when the runner starts them)
    const workerLoads = new Map(topology.automations.filter((automation) => deployed.has(automation.id)).map((automation) => [automation.function.handler, load(automation.function.handler, 0)]));
    // allSettled, not all: a failed start must not leave the others starting after the cleanup ran.
    const [privateStarts, cacheStarts, dynamoStarts] = await Promise.allSettled([
      settleStarts([startDistribution({ name: 'dockmaster-private' })], (registry) => register({ name: 'private registry', stop: () => registry.stop() })),
      settleStarts(config.pullThroughCache.map((rule) => startCache(rule)), (cache) => {
        register({ name: `upstream ${cache.upstreamHost}`, stop: () => cache.upstream.stop() });
        const { proxy } = cache;
        if (proxy !== undefined) register({ name: `cache ${cache.prefix}`, stop: () => proxy.stop() });
      }),
      settleStarts(
        [startLocalDynamo([CONFIG_TABLE, IDEMPOTENCY_TABLE, STATE_TABLE], origin.region, dynamoPort, [{ table: CONFIG_TABLE, item: configItem(stored) }])],
        (running) => register({ name: 'dynalite', stop: () => running.stop() }),
      ),
      Promise.allSettled(workerLoads.values()),
    ]);
    for (const result of [privateStarts, cacheStarts, dynamoStarts]) if (result.status === 'rejected') throw result.reason;
    const [privateRegistry] = (privateStarts as PromiseFulfilledResult<RunningDistribution[]>).value;
    const caches = (cacheStarts as PromiseFulfilledResult<StartedCache[]>).value;
    const [dynamo] = (dynamoStarts as PromiseFulfilledResult<Array<{ url: string }>>).value;
    if (privateRegistry === undefined || dynamo === undefined) throw new Error('internal: a started resource is missing');
    // Copy mode reaches its upstream at https://<host>; here, the worker is pointed at the stand-in instead.
    const copied = caches.filter((cache) => cache.mode === CacheMode.Copy);
    register({
      name: 'upstream endpoints',
      stop: applyEnvironment(upstreamEndpointsEnvironment(topology, Object.fromEntries(copied.map((cache) => [cache.upstreamHost, cache.upstream.url])))),
    });
    const pullThroughCaches = caches.flatMap((cache) => (cache.proxy === undefined ? [] : [{ ...cache, proxy: cache.proxy }]));

    const ecr = new LocalEcr({
      distribution: { url: privateRegistry.url, rootDirectory: privateRegistry.rootDirectory },
      registryFrontUrl: registryUrl,
      accountId: origin.account,
      region: origin.region,
      // Copy-mode entries have no pull-through cache rule, in AWS or here.
      pullThroughCacheRules: config.pullThroughCache.filter((rule) => rule.mode === CacheMode.Cache).map((rule) => ({
        ecrRepositoryPrefix: rule.prefix,
        upstreamRegistryUrl: rule.upstream,
        ...(rule.credentialArn === undefined ? {} : { credentialArn: rule.credentialArn }),
      })),
      // The templates infra deploys, from the same renderer: CREATE_ON_PUSH ones create repositories on a push.
      repositoryCreationTemplates: renderCreationTemplates(config, partitionOf(config.registry.region)),
    });
    const ssm = new LocalSsm({
      accountId: origin.account,
      region: origin.region,
      // The marker of the content in the config table, as the deploy writes both; no change event at start.
      parameters: [
        {
          name: topology.configParameter.name,
          value: formatConfigMarker(configMarker(stored)),
          type: 'String',
          description: `Dockmaster configuration marker (content in ${CONFIG_TABLE}, from ${path.basename(configPath)})`,
        },
      ],
    });
    const alerts = new AlertSink(stateDir);
    const bus = new LocalBus({ topology, queueFor, alerts });
    bus.onDelivery((delivery) => {
      const line = describeDelivery(delivery);
      log.line(line.kind, line.text);
    });
    ecr.onImageAction((action) => {
      bus.publish(imageActionEvent(origin, action));
    });
    ecr.onRepositoryCreated((created) => {
      // Repositories ECR creates itself (pull-through cache, create on push) are announced by the registry front (AWS Service Event).
      if (created.createdBy === 'api') bus.publish(createRepositoryApiCallEvent(origin, created.repository));
    });
    ssm.onChange((change) => {
      bus.publish(parameterStoreChangeEvent(origin, change));
    });

    const ecrThrottle = options.ecrThrottle === 'off' ? undefined : new RequestThrottle();
    const aws: RunningAwsEndpoint = await startAwsEndpoint({ port: awsPort, ecr: ecrService(ecr), sqs, ssm, events: bus, ...(ecrThrottle === undefined ? {} : { throttle: ecrThrottle }) });
    register({ name: 'AWS endpoint', stop: () => aws.stop() });
    const front: RunningRegistryFront = await startRegistryFront({
      port: registryPort,
      privateRegistryUrl: privateRegistry.url,
      // Copy-mode prefixes are plain private repositories to the front: they must exist before a push, as in ECR.
      caches: pullThroughCaches.map((cache) => ({ prefix: cache.prefix, proxyUrl: cache.proxy.url, upstreamRegistryUrl: cache.upstreamHost, upstreamUrl: cache.upstream.url })),
      ecr,
      emit: (event) => {
        bus.publish(event);
      },
      account: origin.account,
      region: origin.region,
    });
    register({ name: 'registry front', stop: () => front.stop() });

    const runner = await LocalRunner.start({
      topology,
      queueFor,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      loadWorker: (handler, environment) => (environment === 0 ? workerLoads.get(handler) : undefined) ?? load(handler, environment),
      onEvent: (event) => {
        const line = describeRunnerEvent(event);
        if (line !== undefined) log.line(line.kind, line.text);
      },
    });
    register({ name: 'workers', stop: () => runner.stop() });

    const urls: Omit<LocalStackUrls, 'control'> = {
      registry: front.url,
      aws: aws.url,
      dynamo: dynamo.url,
      upstreams: Object.fromEntries(caches.map((cache) => [cache.upstreamHost, cache.upstream.url])),
    };
    let stopping: Promise<void> | undefined;
    let markStopped: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => {
      markStopped = resolve;
    });
    let control: RunningControlServer | undefined;
    const stack: LocalStack = {
      urls: { ...urls, control: '' },
      readyMs: 0,
      controlToken: '',
      config,
      topology,
      ecr,
      ecrThrottle,
      sqs,
      ssm,
      bus,
      runner,
      alerts,
      log,
      status: () => ({
        pid: process.pid,
        readyMs: stack.readyMs,
        configPath,
        urls: stack.urls,
        automations: runner.status(),
        alerts: alerts.list().length,
        recentLog: log.recent().slice(-20),
      }),
      scan: (reference, findings) => recordScan({ ecr, bus, origin, reference, findings }),
      trigger: (name) => runner.trigger(name),
      deliveredAlerts: () => alerts.list(),
      waitForIdle: (timeoutMs) => runner.waitForIdle(timeoutMs),
      drain: (timeoutMs) => runner.drain(timeoutMs),
      stop: () =>
        (stopping ??= (async () => {
          log.info('stopping the local stack');
          await stopAll();
          log.info('local stack stopped');
          markStopped();
          options.onStopped?.();
        })()),
      stopped,
    };
    control = await startControlServer({ stack, port: options.ports?.control ?? 0 });
    register({ name: 'control API', stop: () => control?.stop() });
    stack.urls.control = control.url;
    stack.controlToken = control.token;

    stack.readyMs = Math.round(performance.now() - startedAt);
    const upstreamList = Object.entries(urls.upstreams).map(([host, url]) => `${host}=${url}`).join(', ');
    log.info(`ready in ${stack.readyMs} ms: registry ${urls.registry}, aws ${urls.aws}${upstreamList === '' ? '' : `, upstreams ${upstreamList}`}`);
    if (!existsSync(stateDir)) log.warning(`state directory ${stateDir} is missing; alerts are kept in memory only`);
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
};

export { CONFIG_TABLE, IDEMPOTENCY_TABLE, LOCAL_BUS_NAME, LOCAL_CONFIG_PARAMETER, STATE_TABLE, startLocalStack };
export type { LocalStack, LocalStackStatus, LocalStackUrls, StartLocalStackOptions };
