import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PullThroughCacheFailureCode } from '@dockmaster/core/events/vocabulary';
import { RegistryClient } from '@dockmaster/registry/client';
import { errorMessage } from '@dockmaster/core/shared';
import { bareMediaType, sha256Digest } from '@dockmaster/registry/manifest';
import { importCachedImage } from './cache-import.js';
import type { EcrControlPlane } from './control-plane.js';
import { cacheRepositoryCreatedEvent, imageDeleteEvent, imagePushEvent, pullThroughCacheActionEvent } from './ecr-events.js';
import type { EcrEvent, EventContext } from './ecr-events.js';
import { FaultInjector, faultResponse } from './faults.js';
import type { RegistryFaults } from './faults.js';
import { readBodyUpTo } from '../shared/read-body.js';
import { locationRewriter, relayResponse, sendToBackend } from './forward.js';
import {
  API_VERSION_HEADER,
  archivedImage,
  backendUnavailable,
  cacheIsReadOnly,
  imageNotFound,
  immutableTag,
  invalidToken,
  manifestTooLarge,
  repositoryNotFound,
  sendRegistryError,
} from './registry-errors.js';
import { isDigestReference, parseRegistryPath } from './route.js';
import type { RegistryRoute } from './route.js';
import { stopOnce } from '../shared/stop-server.js';

/** One pull-through-cache rule as the front serves it. */
interface PullThroughCacheRoute {
  /** ECR repository prefix, e.g. `k8s`: `k8s/pause` is served as `pause` by the cache instance. */
  prefix: string;
  /** The Distribution instance running in proxy mode (`proxy.remoteurl`) for this prefix's upstream. */
  proxyUrl: string;
  /** What events report as `upstream-registry-url` (e.g. registry.k8s.io); default the proxy's host. */
  upstreamRegistryUrl?: string;
  /**
   * The upstream stand-in's root URL (`http://127.0.0.1:<port>`), asked when the cache instance fails a pull by
   * tag: Distribution's proxy answers MANIFEST_UNKNOWN for an uncached tag whether the upstream lacks it or is down.
   */
  upstreamUrl?: string;
}

interface RegistryFrontOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The private Distribution registry the local ECR reads (`http://127.0.0.1:<port>`). */
  privateRegistryUrl: string;
  caches: readonly PullThroughCacheRoute[];
  /** A control plane that carries registry faults (LocalEcr) shares them with the front: one place to inject. */
  ecr: EcrControlPlane & { readonly faults?: { readonly registry: FaultInjector } };
  /** Receives the events ECR would put on the default bus. Awaited, in order; a failure is logged, never turned into a registry error. */
  emit: (event: EcrEvent) => void | Promise<void>;
  account: string;
  region: string;
  clock?: { now(): number };
  faults?: RegistryFaults;
}

interface RunningRegistryFront {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, the form skopeo and image references want. */
  host: string;
  port: number;
  /** Replaces the pending injected faults, e.g. `{ next429: { count: 2, retryAfterSeconds: 1 } }`. */
  injectFaults(faults: RegistryFaults): void;
  /** The faults the front answers with (inject 429/5xx with `faults.inject({ kind, count })`). */
  faults: FaultInjector;
  stop(): Promise<void>;
}

/** How long the front waits for an upstream stand-in's `/v2/` when a pull through its cache failed. */
const UPSTREAM_PROBE_TIMEOUT_MS = 2000;

/** ECR's manifest size limit (PutImage `imageManifest` max 4,194,304). */
const MAX_MANIFEST_BYTES = 4_194_304;
const MAX_TAG_LIST_BYTES = 16 * 1024 * 1024;

/** The `mediaType` a manifest declares; the Content-Type of the PUT wins when present (Distribution checks they agree). */
function manifestMediaType(request: IncomingMessage, body: Buffer): string | undefined {
  const fromHeader = bareMediaType(request.headers['content-type']);
  if (fromHeader !== undefined) return fromHeader;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `work` once per key at a time: concurrent first pulls of one tag create and import once. */
class SingleFlight {
  private readonly running = new Map<string, Promise<void>>();

  public run(key: string, work: () => Promise<void>): Promise<void> {
    const existing = this.running.get(key);
    if (existing !== undefined) return existing;
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}

/**
 * The registry API users, docker and skopeo talk to. A streaming reverse proxy in front of a plain
 * Distribution registry (private repositories) and one Distribution proxy-mode instance per
 * pull-through-cache prefix, adding what ECR does and Distribution does not: repositories must exist
 * before a push, immutable tags, `<prefix>/` routing to the right cache, repositories created on a
 * first pull by tag, and the EventBridge events ECR emits for all of it.
 */
async function startRegistryFront(options: RegistryFrontOptions): Promise<RunningRegistryFront> {
  const privateOrigin = new URL(options.privateRegistryUrl).origin;
  const privateClient = new RegistryClient({ baseUrl: privateOrigin });
  const caches = [...options.caches]
    .map((cache) => ({ ...cache, origin: new URL(cache.proxyUrl).origin, client: new RegistryClient({ baseUrl: new URL(cache.proxyUrl).origin }) }))
    // Longest prefix first, so `k8s/extra` wins over `k8s` for `k8s/extra/app`.
    .sort((a, b) => b.prefix.length - a.prefix.length);
  type Cache = (typeof caches)[number];
  const faults = options.ecr.faults?.registry ?? new FaultInjector();
  if (options.faults !== undefined) faults.set(options.faults);
  const now = (): number => options.clock?.now() ?? Date.now();
  const context = (): EventContext => ({ account: options.account, region: options.region, now: now() });
  const repositoryCreation = new SingleFlight();
  const tagSync = new SingleFlight();
  let frontHost = '';

  const publish = async (event: EcrEvent): Promise<void> => {
    try {
      await options.emit(event);
    } catch (error) {
      console.error(`[registry front] delivering ${event['detail-type']} failed:`, error);
    }
  };

  const cacheFor = (name: string): Cache | undefined => caches.find((cache) => name.startsWith(`${cache.prefix}/`));

  /** First pull by tag: ECR creates the repository itself (CloudTrail AwsServiceEvent) before caching the image. */
  const ensureCacheRepository = async (name: string): Promise<boolean> => {
    if (options.ecr.repositoryExists(name)) return true;
    try {
      await repositoryCreation.run(name, async () => {
        if (options.ecr.repositoryExists(name)) return;
        await options.ecr.createRepositoryInternal(name, { createdBy: 'pull-through-cache' });
        await publish(cacheRepositoryCreatedEvent(context(), name));
      });
      return true;
    } catch (error) {
      console.error(`[registry front] could not create cache repository ${name}:`, error);
      return false;
    }
  };

  /**
   * After the cache instance served `tag` as `digest`: make sure the repository exists and the image is
   * recorded in the private registry (what the control plane lists), then emit the cache action. Nothing
   * is emitted when the tag is already recorded at that digest (ECR syncs, and reports, on change).
   */
  const syncCachedTag = async (cache: Cache, name: string, upstreamName: string, tag: string, digest: string): Promise<void> => {
    if (!(await ensureCacheRepository(name))) return;
    const recorded = await privateClient.headManifest(name, tag).catch(() => null);
    if (recorded?.digest === digest) return;
    const sync = { prefix: cache.prefix, repository: name, upstreamRegistryUrl: cache.upstreamRegistryUrl ?? new URL(cache.proxyUrl).host, tag, digest };
    try {
      const copied = await importCachedImage({ client: cache.client, repository: upstreamName }, { client: privateClient, repository: name }, tag, digest);
      for (const copiedDigest of copied) options.ecr.recordImagePush?.(name, copiedDigest, new Date(now()));
      await publish(pullThroughCacheActionEvent(context(), sync));
    } catch (error) {
      console.error(`[registry front] caching ${name}:${tag} failed:`, error);
      // ECR-GUESS: failure code and reason wording; the schema registry only names the fields.
      await publish(pullThroughCacheActionEvent(context(), { ...sync, failure: { code: PullThroughCacheFailureCode.ImportFailed, reason: errorMessage(error) } }));
    }
  };

  /**
   * "Archived images cannot be pulled. Requests to pull the archived image will fail with a 404 error" (ECR User
   * Guide). ECR-GUESS: the error code and message of that 404 are not documented; MANIFEST_UNKNOWN as for a missing
   * image; blobs stay served (ECR documents nothing about layer downloads of archived images). Only a repository
   * with archived images costs the extra HEAD that resolves a tag.
   */
  const isArchived = async (name: string, reference: string): Promise<boolean> => {
    const unpullable = options.ecr.unpullableDigests?.(name);
    if (unpullable === undefined || unpullable.size === 0) return false;
    if (isDigestReference(reference)) return unpullable.has(reference);
    const head = await privateClient.headManifest(name, reference).catch(() => null);
    return head !== null && unpullable.has(head.digest);
  };

  /**
   * Why the cache instance could not serve a tag: the upstream's own answer to `/v2/` first (down, refusing
   * logins, rate limiting), else the cache instance's status. ECR-GUESS: codes and reasons (ECR documents
   * neither); the authentication reason follows the one ECR message on record (aws/containers-roadmap#2354).
   */
  const syncFailureOf = async (cache: Cache, status: number): Promise<{ code: string; reason: string }> => {
    const upstream = cache.upstreamRegistryUrl ?? new URL(cache.proxyUrl).host;
    const failure = (code: PullThroughCacheFailureCode, reason: string) => ({ code, reason });
    const byStatus = (answer: number) => {
      if (answer === 401 || answer === 403) return failure(PullThroughCacheFailureCode.UpstreamAuthenticationFailed, `The authentication to the upstream registry failed (${upstream} answered ${answer})`);
      if (answer === 429) return failure(PullThroughCacheFailureCode.UpstreamRateLimited, `The upstream registry ${upstream} answered 429 Too Many Requests`);
      if (answer >= 500) return failure(PullThroughCacheFailureCode.UpstreamUnreachable, `The upstream registry ${upstream} answered ${answer}`);
      return undefined;
    };
    if (cache.upstreamUrl !== undefined) {
      try {
        const probe = await fetch(new URL('/v2/', cache.upstreamUrl), { signal: AbortSignal.timeout(UPSTREAM_PROBE_TIMEOUT_MS) });
        await probe.body?.cancel();
        const refused = byStatus(probe.status);
        if (refused !== undefined) return refused;
      } catch (error) {
        return failure(PullThroughCacheFailureCode.UpstreamUnreachable, `The upstream registry ${upstream} could not be reached (${errorMessage(error)})`);
      }
    }
    return byStatus(status) ?? failure(PullThroughCacheFailureCode.UpstreamImageNotFound, `The image was not found in the upstream registry ${upstream} (answer ${status})`);
  };

  /** A pull by tag the cache could not serve: ECR reports the failed sync (ECR-GUESS: also when the tag does not exist upstream). */
  const reportFailedSync = async (cache: Cache, name: string, tag: string, status: number): Promise<void> => {
    const upstreamRegistryUrl = cache.upstreamRegistryUrl ?? new URL(cache.proxyUrl).host;
    const failure = await syncFailureOf(cache, status);
    await publish(pullThroughCacheActionEvent(context(), { prefix: cache.prefix, repository: name, upstreamRegistryUrl, tag, failure }));
  };

  /** The tags pointing at `digest`, for the DELETE events of a manifest deletion (Distribution drops them all). */
  const tagsPointingAt = async (name: string, digest: string): Promise<string[]> => {
    try {
      const tags = await privateClient.listTags(name);
      const heads = await Promise.all(tags.map(async (tag) => ({ tag, head: await privateClient.headManifest(name, tag) })));
      return heads.filter(({ head }) => head?.digest === digest).map(({ tag }) => tag);
    } catch {
      return [];
    }
  };

  const forward = async (request: IncomingMessage, response: ServerResponse, target: URL, rewrite: (location: string) => string): Promise<void> => {
    await relayResponse(await sendToBackend(request, target), response, rewrite);
  };

  /**
   * A push to a repository that does not exist: ECR creates it when a CREATE_ON_PUSH creation template covers the
   * name, then goes on with the push. ECR-GUESS: the repository is created by the first request that only a push
   * sends (starting a blob upload, or putting a manifest); a pull, or a blob HEAD before the upload, still gets
   * NAME_UNKNOWN. ECR's documentation does not say what CloudTrail records for it: announced like a
   * pull-through-cache creation (AWS Service Event via CloudTrail, CreateRepository, serviceEventDetails).
   */
  const ensurePushedRepository = async (name: string): Promise<boolean> => {
    const create = options.ecr.createRepositoryOnPush;
    if (create === undefined) return false;
    try {
      await repositoryCreation.run(name, async () => {
        if (options.ecr.repositoryExists(name)) return;
        if (await create.call(options.ecr, name)) await publish(cacheRepositoryCreatedEvent(context(), name));
      });
    } catch (error) {
      console.error(`[registry front] could not create ${name} on push:`, error);
    }
    return options.ecr.repositoryExists(name);
  };

  const handlePrivate = async (route: Exclude<RegistryRoute, { kind: 'base' | 'catalog' | 'unknown' }>, request: IncomingMessage, response: ServerResponse, target: URL, frontOrigin: string): Promise<void> => {
    const method = request.method ?? 'GET';
    const rewrite = locationRewriter(privateOrigin, frontOrigin);
    const startsPush = (route.kind === 'upload' && method === 'POST') || (route.kind === 'manifest' && method === 'PUT');
    // ECR answers pulls and pushes alike with NAME_UNKNOWN for a repository it does not have (unless a template
    // creates it on push); Distribution would create it.
    const exists = options.ecr.repositoryExists(route.name) || (startsPush && (await ensurePushedRepository(route.name)));
    if (!exists) return sendRegistryError(response, repositoryNotFound(route.name, options.account), method);

    if (route.kind === 'manifest' && method === 'PUT') {
      const body = await readBodyUpTo(request, MAX_MANIFEST_BYTES);
      if (body === undefined) return sendRegistryError(response, manifestTooLarge(MAX_MANIFEST_BYTES), method);
      const digest = sha256Digest(body);
      const tag = isDigestReference(route.reference) ? undefined : route.reference;
      if (tag !== undefined && options.ecr.isTagImmutable(route.name, tag)) {
        const current = await privateClient.headManifest(route.name, tag);
        if (current !== null && current.digest !== digest) return sendRegistryError(response, immutableTag(tag, route.name), method);
      }
      const backend = await sendToBackend(request, target, body);
      if (backend.statusCode === 201) {
        // Emitted before answering, so a client that sees its push succeed can rely on the event being out.
        options.ecr.recordImagePush?.(route.name, digest, new Date(now()));
        await options.ecr.restoreOnPush?.(route.name, digest);
        const mediaType = manifestMediaType(request, body);
        await publish(imagePushEvent(context(), { repository: route.name, digest, ...(tag === undefined ? {} : { tag }), ...(mediaType === undefined ? {} : { manifestMediaType: mediaType }) }));
      }
      return relayResponse(backend, response, rewrite);
    }

    if (route.kind === 'manifest' && (method === 'GET' || method === 'HEAD') && (await isArchived(route.name, route.reference))) {
      return sendRegistryError(response, archivedImage(), method);
    }

    if (route.kind === 'manifest' && method === 'DELETE' && isDigestReference(route.reference)) {
      const tags = await tagsPointingAt(route.name, route.reference);
      const backend = await sendToBackend(request, target);
      if (backend.statusCode === 202) {
        const deletions = tags.length === 0 ? [undefined] : tags;
        for (const tag of deletions) await publish(imageDeleteEvent(context(), { repository: route.name, digest: route.reference, ...(tag === undefined ? {} : { tag }) }));
      }
      return relayResponse(backend, response, rewrite);
    }

    return forward(request, response, target, rewrite);
  };

  const handleCache = async (cache: Cache, route: Exclude<RegistryRoute, { kind: 'base' | 'catalog' | 'unknown' }>, request: IncomingMessage, response: ServerResponse, url: URL, frontOrigin: string): Promise<void> => {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return sendRegistryError(response, cacheIsReadOnly(cache.prefix), method);
    const upstreamName = route.name.slice(cache.prefix.length + 1);
    const target = new URL(`/v2/${url.pathname.slice(`/v2/${cache.prefix}/`.length)}${url.search}`, cache.origin);
    const rewrite = locationRewriter(cache.origin, frontOrigin, { backend: upstreamName, front: route.name });

    if (route.kind === 'manifest' && (await isArchived(route.name, route.reference))) return sendRegistryError(response, archivedImage(), method);

    if (route.kind === 'manifest' && isDigestReference(route.reference)) {
      // ECR does not populate its cache on a first pull by digest (aws/containers-roadmap#2837): only what a tag pull recorded is served.
      if ((await privateClient.headManifest(route.name, route.reference).catch(() => null)) === null) return sendRegistryError(response, imageNotFound(), method);
      return forward(request, response, target, rewrite);
    }

    if (route.kind === 'manifest') {
      const backend = await sendToBackend(request, target);
      const digest = backend.headers['docker-content-digest'];
      // The answer waits for the sync so that a following pull of index children by digest finds them recorded.
      if (backend.statusCode === 200 && typeof digest === 'string') await tagSync.run(`${route.name}:${route.reference}@${digest}`, () => syncCachedTag(cache, route.name, upstreamName, route.reference, digest));
      else if (backend.statusCode !== undefined && backend.statusCode >= 400) await reportFailedSync(cache, route.name, route.reference, backend.statusCode);
      return relayResponse(backend, response, rewrite);
    }

    if (route.kind === 'tags') {
      const backend = await sendToBackend(request, target);
      const body = await readBodyUpTo(backend, MAX_TAG_LIST_BYTES);
      if (backend.statusCode !== 200 || body === undefined) {
        response.writeHead(backend.statusCode ?? 502, { ...API_VERSION_HEADER, 'Content-Type': backend.headers['content-type'] ?? 'application/json' });
        response.end(method === 'HEAD' ? undefined : body);
        return;
      }
      // The cache instance names the repository without the prefix; clients expect the name they asked for.
      const list = JSON.parse(body.toString('utf8')) as { name?: string; tags?: string[] | null };
      const rewritten = JSON.stringify({ ...list, name: route.name });
      response.writeHead(200, { ...API_VERSION_HEADER, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(rewritten) });
      response.end(method === 'HEAD' ? undefined : rewritten);
      return;
    }

    return forward(request, response, target, rewrite);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', privateOrigin);
    const frontOrigin = `http://${request.headers.host ?? frontHost}`;

    const fault = faults.take();
    if (fault !== undefined) return sendRegistryError(response, faultResponse(fault), method);
    // Anonymous access is allowed locally (so skopeo works without a login); credentials that are sent must be valid.
    const authorization = request.headers.authorization;
    if (authorization !== undefined && !options.ecr.verifyAuthorizationToken(authorization)) return sendRegistryError(response, invalidToken(`${frontOrigin}/`), method);

    const route = parseRegistryPath(url.pathname);
    const rewrite = locationRewriter(privateOrigin, frontOrigin);
    const privateTarget = new URL(`${url.pathname}${url.search}`, privateOrigin);
    switch (route.kind) {
      case 'base':
        response.writeHead(200, { ...API_VERSION_HEADER, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': 2 });
        response.end(method === 'HEAD' ? undefined : '{}');
        return;
      case 'catalog':
      case 'unknown':
        return forward(request, response, privateTarget, rewrite);
      default: {
        const cache = cacheFor(route.name);
        if (cache !== undefined) return handleCache(cache, route, request, response, url, frontOrigin);
        return handlePrivate(route, request, response, privateTarget, frontOrigin);
      }
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (!response.headersSent) {
        if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return sendRegistryError(response, backendUnavailable('Distribution'), request.method ?? 'GET');
        console.error('[registry front] request failed:', error);
        return sendRegistryError(response, { status: 500, code: 'UNKNOWN', message: 'The local registry front failed; see its log.' }, request.method ?? 'GET');
      }
      // Mid-stream failure (client or backend went away): nothing sensible can be sent any more.
      response.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  frontHost = `127.0.0.1:${port}`;

  return {
    url: `http://${frontHost}`,
    host: frontHost,
    port,
    injectFaults: (next) => faults.set(next),
    faults,
    stop: stopOnce(server),
  };
}

export { startRegistryFront };
export type { PullThroughCacheRoute, RegistryFrontOptions, RunningRegistryFront };
