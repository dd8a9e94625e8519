import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { AwsServiceError } from './aws-service-error.js';
import { eventBridgeService } from './events-service.js';
import { AwsFaultInjector } from './faults.js';
import type { AwsFault, AwsFaultSpec, PendingAwsFault } from './faults.js';
import type { LocalEventBus } from './events-service.js';
import { readJsonInput, writeError, writeOutput } from './json-protocol.js';
import type { AwsJsonService, RequestContext } from './service.js';
import type { RequestThrottle } from './throttle.js';
import { stopOnce } from '../shared/stop-server.js';

/** The ECR service also serves the layer download URLs it hands out (the S3 presigned URLs of real ECR). */
interface EcrEndpointService extends AwsJsonService {
  /** Answers `GET /_layers/...`; `path` is the URL path after `/_layers/`. */
  downloadLayer(path: string, query: URLSearchParams): Promise<Response>;
  /** Faults for the ECR operations; the endpoint uses these when it is given none of its own (the LocalEcr's). */
  faults?: AwsFaultInjector;
  /** Account and Region named in fault messages (AccessDenied ARNs). */
  registryId?: string;
  region?: string;
}

interface StartAwsEndpointOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: a development tool, never exposed. */
  host?: string;
  ecr: EcrEndpointService;
  sqs: AwsJsonService;
  ssm: AwsJsonService;
  events: LocalEventBus;
  /** Faults injected into ECR operations; default the ECR service's own, else a new injector. */
  faults?: AwsFaultInjector;
  /** ECR's per-action request rates (throttle.ts); absent: ECR is never throttled. */
  throttle?: RequestThrottle;
}

interface RunningAwsEndpoint {
  /** `http://127.0.0.1:<port>`: set it as `AWS_ENDPOINT_URL` (with any dummy credentials). */
  url: string;
  port: number;
  /** The ECR faults this endpoint applies. */
  faults: AwsFaultInjector;
  /** Makes the next `count` ECR requests (of `operation`, or any) fail with `kind`; they stop by themselves. */
  injectFaults(spec: AwsFaultSpec): PendingAwsFault;
  stop(): Promise<void>;
}

interface TargetService {
  service: AwsJsonService;
  contentType: string;
  /** Only ECR takes injected faults: the workers' retry paths under test are ECR's. */
  faults?: { injector: AwsFaultInjector; account: string; region: string };
  /** Only ECR is throttled: its quotas are what the sweep and the tag-policy bursts meet. */
  throttle?: RequestThrottle;
}

const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

const LAYER_PATH_PREFIX = '/_layers/';

/** `X-Amz-Target` prefixes of the services the SDK clients call, with each one's awsJson version. */
function targetServices(options: StartAwsEndpointOptions, faults: AwsFaultInjector): ReadonlyMap<string, TargetService> {
  const ecrFaults = { injector: faults, account: options.ecr.registryId ?? '000000000000', region: options.ecr.region ?? 'eu-central-1' };
  return new Map<string, TargetService>([
    [ECR_TARGET_PREFIX, { service: options.ecr, contentType: 'application/x-amz-json-1.1', faults: ecrFaults, ...(options.throttle === undefined ? {} : { throttle: options.throttle }) }],
    ['AWSEvents', { service: eventBridgeService(options.events), contentType: 'application/x-amz-json-1.1' }],
    // SDK v3 talks to SQS with awsJson1_0 (query-compatible errors).
    ['AmazonSQS', { service: options.sqs, contentType: 'application/x-amz-json-1.0' }],
    ['AmazonSSM', { service: options.ssm, contentType: 'application/x-amz-json-1.1' }],
  ]);
}

function endpointUrlOf(request: IncomingMessage, fallback: string): string {
  const host = request.headers.host;
  return host === undefined ? fallback : `http://${host}`;
}

async function handleAwsJson(request: IncomingMessage, response: ServerResponse, services: ReadonlyMap<string, TargetService>, context: RequestContext): Promise<void> {
  const target = request.headers['x-amz-target'];
  const [prefix = '', operationName = ''] = (typeof target === 'string' ? target : '').split('.', 2);
  const targetService = services.get(prefix);
  const contentType = targetService?.contentType ?? 'application/x-amz-json-1.1';
  try {
    const handler = targetService?.service.operations[operationName];
    if (targetService === undefined || handler === undefined) {
      throw new AwsServiceError('UnknownOperationException', `The local AWS endpoint does not implement '${String(target)}'.`);
    }
    const input = await readJsonInput(request);
    const fault = targetService.faults?.injector.take({ operation: operationName, input, account: targetService.faults.account, region: targetService.faults.region });
    if (fault !== undefined) return await answerWithFault(response, fault);
    // Past the action's rate: ThrottlingException, before the operation runs (ECR changes nothing either).
    targetService.throttle?.admit(operationName);
    writeOutput(response, contentType, await handler(input, context));
  } catch (error) {
    if (error instanceof AwsServiceError) {
      writeError(response, contentType, error);
      return;
    }
    // A bug in the local stack: surface it as AWS would surface its own failure, and log it for the developer.
    console.error(`[local aws endpoint] ${String(target)} failed:`, error);
    writeError(response, contentType, new AwsServiceError('InternalFailure', `The local AWS endpoint failed: ${error instanceof Error ? error.message : String(error)}`, { statusCode: 500 }));
  }
}

/** An injected error is answered like a real one; a timeout holds the request, then drops the connection unanswered. */
async function answerWithFault(response: ServerResponse, fault: AwsFault): Promise<void> {
  if (fault.kind === 'error') throw fault.error;
  // ref false: a held request must not keep a stopping process alive (stop() drops the connection anyway).
  await delay(fault.holdMs, undefined, { ref: false });
  response.socket?.destroy();
}

async function handleLayerDownload(request: IncomingMessage, response: ServerResponse, ecr: EcrEndpointService): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  const upstream = await ecr.downloadLayer(decodeURIComponent(url.pathname.slice(LAYER_PATH_PREFIX.length)), url.searchParams);
  const headers: Record<string, string> = {};
  upstream.headers.forEach((value, name) => {
    if (['content-type', 'content-length', 'docker-content-digest', 'etag'].includes(name)) headers[name] = value;
  });
  response.writeHead(upstream.status, headers);
  if (upstream.body === null || request.method === 'HEAD') {
    await upstream.body?.cancel();
    response.end();
    return;
  }
  await pipeline(Readable.fromWeb(upstream.body), response);
}

/** Starts the AWS-compatible endpoint of the local stack (ECR, SQS, SSM, EventBridge PutEvents); any SigV4 signature is accepted. */
async function startAwsEndpoint(options: StartAwsEndpointOptions): Promise<RunningAwsEndpoint> {
  const faults = options.faults ?? options.ecr.faults ?? new AwsFaultInjector();
  const services = targetServices(options, faults);
  let baseUrl = '';
  const server = createServer((request, response) => {
    const isLayerDownload = (request.method === 'GET' || request.method === 'HEAD') && (request.url ?? '').startsWith(LAYER_PATH_PREFIX);
    const handled = isLayerDownload
      ? handleLayerDownload(request, response, options.ecr)
      : handleAwsJson(request, response, services, { endpointUrl: endpointUrlOf(request, baseUrl) });
    handled.catch((error: unknown) => {
      console.error('[local aws endpoint] request failed:', error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  // Long-polling ReceiveMessage holds requests for up to 20 s; keep-alive sockets must not block stop().
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;
  return {
    url: baseUrl,
    port,
    faults,
    injectFaults: (spec) => faults.inject(spec),
    stop: stopOnce(server),
  };
}

export { startAwsEndpoint };
export type { EcrEndpointService, RunningAwsEndpoint, StartAwsEndpointOptions };
