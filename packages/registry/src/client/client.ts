import type { Readable } from 'node:stream';
// The manifest module's files one by one, not its barrel: the barrel loads the zod schemas, which only full
// manifest validation needs (imported on first use, see parseManifest).
import { digestOf, isDigest, sha256Digest } from '../manifest/digest.js';
import { bareMediaType, isImageManifestMediaType, isIndexMediaType, MANIFEST_ACCEPT, MediaType } from '../manifest/media-types.js';
import type { ManifestDocument } from '../manifest/schema.js';
import { RegistryError, RegistryErrorCode, registryErrorFromResponse, requestInfo } from './errors.js';
import { nextLink } from './link-header.js';
import { checkManifestReferences } from './manifest-check.js';
import type { ManifestValidation } from './manifest-check.js';
import { assertReference, assertRepository } from './names.js';
import type { RegistryCredentials } from './registry-auth.js';
import { RequestSender } from './request-sender.js';
import type { RequestSpec } from './request-sender.js';
import { readCatalogPage, readJson, readTagListPage } from './responses.js';
import { retryPolicy } from './retry.js';
import type { RetryOptions } from './retry.js';
import { fetchTransport, nodeHttpTransport } from './transport.js';
import type { BlobBody, Transport, TransportResponse } from './transport.js';
import { countingTransform, verifyingNodeTransform, verifyingTransform } from './verified-stream.js';

interface RegistryClientOptions {
  /** Registry root, e.g. `https://123456789012.dkr.ecr.eu-west-1.amazonaws.com` or `http://127.0.0.1:5000`. */
  baseUrl: string;
  /** Sent to the token realm (Bearer) or to the registry (Basic) once it challenges. */
  credentials?: RegistryCredentials;
  userAgent?: string;
  retry?: RetryOptions;
  /** Used instead of the global fetch (tests count requests with it); implies the fetch transport. */
  fetch?: typeof fetch;
  /**
   * `fetch` (default) or `node-http`: keep-alive node:http(s) agents, which start faster (no undici load)
   * and stream blobs as Node streams; a long-running CLI command such as sync uses it. Ignored when `fetch` is given.
   */
  transport?: 'fetch' | 'node-http';
  /** node-http only: connections per host kept open and reused. Default 16. */
  sockets?: number;
  /** Called before every HTTP request (each retry and redirect hop too): request counting in tests, tracing. */
  onRequest?: (method: string, url: URL) => void;
}

interface ManifestResult {
  /** Digest of the exact bytes (computed, and checked against the reference and Docker-Content-Digest). */
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
  manifest: ManifestDocument;
}

interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

const DEFAULT_USER_AGENT = 'dockmaster-registry-client';
const DEFAULT_SOCKETS = 16;
const CATALOG_PAGE_SIZE = 1000;

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}
function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

async function discard(response: TransportResponse): Promise<void> {
  await response.discard();
}

/**
 * A small OCI Distribution client: manifests, tags, catalog and verified blob transfer, with Bearer/Basic
 * auth, retries and redirects (request-sender.ts). Stateless apart from the auth state.
 */
class RegistryClient {
  public readonly baseUrl: string;
  private readonly closeTransport: () => void;
  private readonly sender: RequestSender;

  public constructor(options: RegistryClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    let transport: Transport;
    if (options.transport === 'node-http' && options.fetch === undefined) {
      const nodeHttp = nodeHttpTransport({ sockets: options.sockets ?? DEFAULT_SOCKETS });
      transport = nodeHttp;
      this.closeTransport = nodeHttp.close;
    } else {
      // Resolved per request, not here: reading the global `fetch` loads undici, which clients that never send need not pay.
      transport = fetchTransport(options.fetch ?? ((input, init) => fetch(input, init)));
      this.closeTransport = () => undefined;
    }
    this.sender = new RequestSender({
      transport,
      retry: retryPolicy(options.retry),
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      credentials: options.credentials,
      onRequest: options.onRequest,
    });
  }

  /** Closes idle keep-alive connections (node-http transport), so a CLI exits without waiting for them to time out. */
  public close(): void {
    this.closeTransport();
  }

  /** GET /v2/: reachable, speaks the Distribution API and accepts our credentials. */
  public async ping(): Promise<void> {
    const url = this.url('/v2/');
    const response = await this.send({ method: 'GET', url, scopes: [] });
    if (!response.ok) throw await registryErrorFromResponse(response, 'GET', url, 'Checking the registry API');
    await discard(response);
  }

  /**
   * The manifest's exact bytes, digest-checked against the reference or Docker-Content-Digest, and parsed.
   * `validation: 'references'` checks only what a copy reads (see ManifestValidation); the default is full.
   */
  public async getManifest(repository: string, reference: string, options: { validation?: ManifestValidation } = {}): Promise<ManifestResult> {
    const url = this.manifestUrl(repository, reference);
    const response = await this.send({ method: 'GET', url, scopes: [pullScope(repository)], headers: { Accept: MANIFEST_ACCEPT }, followRedirects: true });
    if (!response.ok) throw await registryErrorFromResponse(response, 'GET', url, `Reading manifest ${repository}:${reference}`);
    const bytes = await response.bytes();
    const request = requestInfo('GET', url);
    const digest = isDigest(reference) ? digestOf(bytes, reference) : sha256Digest(bytes);
    const announced = response.headers.get('docker-content-digest');
    const expected = isDigest(reference) ? reference : announced !== null && isDigest(announced) ? announced : undefined;
    if (expected !== undefined && digestOf(bytes, expected) !== expected) {
      throw new RegistryError({
        message: `Manifest ${repository}:${reference} hashed to ${digestOf(bytes, expected)} but ${expected} was expected`,
        code: RegistryErrorCode.DigestMismatch,
        request,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (cause) {
      throw new RegistryError({ message: `Manifest ${repository}:${reference} is not JSON`, code: RegistryErrorCode.InvalidResponse, request, cause });
    }
    const served = bareMediaType(response.headers.get('content-type'));
    const parsed = await this.parseManifest(json, served, `${repository}:${reference}`, request, options.validation ?? 'full');
    return { digest, mediaType: this.manifestMediaType(parsed, served), bytes, manifest: parsed };
  }

  /** The manifest's digest, type and size without its body; null when the registry does not have it. */
  public async headManifest(repository: string, reference: string): Promise<ManifestHead | null> {
    const url = this.manifestUrl(repository, reference);
    const response = await this.send({ method: 'HEAD', url, scopes: [pullScope(repository)], headers: { Accept: MANIFEST_ACCEPT }, followRedirects: true });
    if (response.status === 404) return null;
    if (!response.ok) throw await registryErrorFromResponse(response, 'HEAD', url, `Checking manifest ${repository}:${reference}`);
    const digest = response.headers.get('docker-content-digest');
    const mediaType = bareMediaType(response.headers.get('content-type'));
    const size = Number(response.headers.get('content-length'));
    if (digest === null || !isDigest(digest) || mediaType === undefined || !Number.isSafeInteger(size)) {
      // Some registries leave headers off HEAD answers; the body tells everything.
      const full = await this.getManifest(repository, reference);
      return { digest: full.digest, mediaType: full.mediaType, size: full.bytes.length };
    }
    return { digest, mediaType, size };
  }

  /** Stores the bytes as given (no re-serialisation, so the digest is kept) and returns their digest. */
  public async putManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const url = this.manifestUrl(repository, reference);
    const digest = isDigest(reference) ? digestOf(bytes, reference) : sha256Digest(bytes);
    if (isDigest(reference) && digest !== reference) {
      throw new RegistryError({
        message: `Refusing to push manifest bytes hashing to ${digest} under digest ${reference}`,
        code: RegistryErrorCode.DigestInvalid,
        request: requestInfo('PUT', url),
      });
    }
    const response = await this.send({ method: 'PUT', url, scopes: [pushScope(repository)], headers: { 'Content-Type': mediaType }, body: bytes });
    if (!response.ok) throw await registryErrorFromResponse(response, 'PUT', url, `Pushing manifest ${repository}:${reference}`);
    await discard(response);
    return digest;
  }

  /**
   * Deletes a manifest by digest; every tag pointing at it goes too. Returns false when it was already gone.
   * Tags cannot be deleted on their own through the Distribution API (re-point them instead).
   */
  public async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const url = this.manifestUrl(repository, digest);
    if (!isDigest(digest)) {
      throw new RegistryError({
        message: `deleteManifest needs a digest, got "${digest}": registries delete manifests by digest, which removes all its tags`,
        code: RegistryErrorCode.DigestInvalid,
        request: requestInfo('DELETE', url),
      });
    }
    const response = await this.send({ method: 'DELETE', url, scopes: [`repository:${repository}:delete`] });
    if (response.status === 404) {
      await discard(response);
      return false;
    }
    if (!response.ok) throw await registryErrorFromResponse(response, 'DELETE', url, `Deleting manifest ${repository}@${digest}`);
    await discard(response);
    return true;
  }

  /** All tags, following Link pagination, de-duplicated and sorted (registries may return them unsorted or null). */
  public async listTags(repository: string): Promise<string[]> {
    const tags = new Set<string>();
    let url: URL | undefined = this.url(`/v2/${repository}/tags/list`);
    assertRepository(repository, url.href);
    while (url !== undefined) {
      const response = await this.send({ method: 'GET', url, scopes: [pullScope(repository)] });
      if (!response.ok) throw await registryErrorFromResponse(response, 'GET', url, `Listing tags of ${repository}`);
      const page = readTagListPage(await readJson(response));
      if (page === undefined) throw this.invalidResponse(`Tag list of ${repository} is not {"tags": [...]}`, 'GET', url);
      for (const tag of page) tags.add(tag);
      url = nextLink(response.headers.get('link'), url);
    }
    return [...tags].sort();
  }

  /** All repository names from `_catalog`, following Link pagination. */
  public async catalog(options: { pageSize?: number } = {}): Promise<string[]> {
    const repositories = new Set<string>();
    let url: URL | undefined = this.url(`/v2/_catalog?n=${options.pageSize ?? CATALOG_PAGE_SIZE}`);
    while (url !== undefined) {
      const response = await this.send({ method: 'GET', url, scopes: ['registry:catalog:*'] });
      if (!response.ok) throw await registryErrorFromResponse(response, 'GET', url, 'Listing repositories');
      const page = readCatalogPage(await readJson(response));
      if (page === undefined) throw this.invalidResponse('Catalog is not {"repositories": [...]}', 'GET', url);
      for (const name of page) repositories.add(name);
      url = nextLink(response.headers.get('link'), url);
    }
    return [...repositories].sort();
  }

  /** The blob's size, or null when the repository does not have it. */
  public async headBlob(repository: string, digest: string): Promise<number | null> {
    const url = this.blobUrl(repository, digest);
    const response = await this.send({ method: 'HEAD', url, scopes: [pullScope(repository)], followRedirects: true });
    if (response.status === 404) return null;
    if (!response.ok) throw await registryErrorFromResponse(response, 'HEAD', url, `Checking blob ${repository}@${digest}`);
    const size = Number(response.headers.get('content-length'));
    if (response.headers.get('content-length') === null || !Number.isSafeInteger(size)) {
      throw this.invalidResponse(`Blob HEAD for ${repository}@${digest} has no Content-Length`, 'HEAD', url);
    }
    return size;
  }

  /** GET of a blob, with the announced size checked against the expected one before any byte is read. */
  private async getBlob(repository: string, digest: string, expectedSize: number | undefined) {
    const url = this.blobUrl(repository, digest);
    const response = await this.send({ method: 'GET', url, scopes: [pullScope(repository)], followRedirects: true });
    if (!response.ok) throw await registryErrorFromResponse(response, 'GET', url, `Reading blob ${repository}@${digest}`);
    const announced = response.headers.get('content-length');
    const announcedSize = announced === null ? undefined : Number(announced);
    const request = requestInfo('GET', url);
    if (expectedSize !== undefined && announcedSize !== undefined && announcedSize !== expectedSize) {
      await discard(response);
      throw new RegistryError({
        message: `Blob ${digest} in ${repository} is announced as ${announcedSize} bytes, expected ${expectedSize}`,
        code: RegistryErrorCode.SizeMismatch,
        request,
      });
    }
    return { response, url, request, announcedSize };
  }

  /**
   * The blob's bytes as a stream that errors at the end unless they hash to `digest` (and match `expectedSize`,
   * else the announced Content-Length). Read it to the end before trusting it.
   */
  public async openBlob(repository: string, digest: string, options: { expectedSize?: number } = {}): Promise<ReadableStream<Uint8Array>> {
    const { response, url, request, announcedSize } = await this.getBlob(repository, digest, options.expectedSize);
    const body = response.webBody();
    if (body === null) throw this.invalidResponse(`Blob GET for ${repository}@${digest} has no body`, 'GET', url);
    return body.pipeThrough(verifyingTransform(digest, options.expectedSize ?? announcedSize, request));
  }

  /**
   * The blob as a Node stream, for copying into another registry with `uploadBlob`: with the node-http transport
   * the bytes go socket to socket without web-stream conversions. Size is always checked; `verifyDigest: false`
   * skips hashing, for when the bytes go straight to a registry PUT with `?digest=`, which the registry verifies
   * itself (the Distribution spec requires it; Distribution and ECR reject a mismatch), so hashing here twice
   * would only cost CPU. Anything that keeps or uses the bytes must leave it on (the default).
   */
  public async openBlobReadable(repository: string, digest: string, options: { expectedSize?: number; verifyDigest?: boolean } = {}): Promise<Readable> {
    const { response, url, request, announcedSize } = await this.getBlob(repository, digest, options.expectedSize);
    const size = options.expectedSize ?? announcedSize;
    const body = response.nodeBody();
    // Without hashing, a Content-Length equal to the expected size needs no counting stage: node:http errors the
    // body when the connection ends short of it, and never reads past it.
    if (options.verifyDigest === false && announcedSize !== undefined && announcedSize === size && response.lengthEnforced) return body;
    const check = options.verifyDigest === false ? countingTransform(digest, size, request) : verifyingNodeTransform(digest, size, request);
    // pipe, not pipeline: the consumer sees the check's errors; a source error is forwarded by hand.
    body.once('error', (error) => check.destroy(error));
    return body.pipe(check);
  }

  /**
   * Streams the blob, discards the bytes and verifies digest and size: what a cache warmer needs to make a
   * pull-through cache fetch and store a blob without keeping it in memory. Throws RegistryError on mismatch.
   */
  public async drainBlob(repository: string, digest: string, options: { expectedSize?: number } = {}): Promise<{ bytes: number }> {
    const reader = (await this.openBlob(repository, digest, options)).getReader();
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes };
      bytes += value.length;
    }
  }

  /**
   * Uploads a blob: POST for a session, then one PUT of the whole body with `?digest=` (Distribution ignores a
   * body on the POST). A stream body is sent as it is read and cannot be retried.
   */
  public async uploadBlob(repository: string, digest: string, body: BlobBody, size: number): Promise<void> {
    const startUrl = this.url(`/v2/${repository}/blobs/uploads/`);
    assertRepository(repository, startUrl.href);
    if (body instanceof Uint8Array && body.length !== size) {
      throw new RegistryError({
        message: `Blob ${digest} has ${body.length} bytes but ${size} were declared`,
        code: RegistryErrorCode.SizeMismatch,
        request: requestInfo('POST', startUrl),
      });
    }
    const session = await this.startUpload(repository, startUrl);
    const putUrl = new URL(session);
    putUrl.searchParams.append('digest', digest);
    const response = await this.send({
      method: 'PUT',
      url: putUrl,
      scopes: [pushScope(repository)],
      // octet-stream matters: with a form type, Distribution's Go server consumes the body and reports DIGEST_INVALID.
      headers: { 'Content-Type': MediaType.OctetStream, 'Content-Length': String(size) },
      body,
    });
    if (!response.ok) throw await registryErrorFromResponse(response, 'PUT', putUrl, `Uploading blob ${digest} to ${repository}`);
    await discard(response);
  }

  /**
   * Cross-repository mount: true when the registry linked the blob from `fromRepository` (201). A 202 means it
   * could not (source lacks the blob, or no permission) and opened an upload session instead, which is cancelled.
   */
  public async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    const url = this.url(`/v2/${repository}/blobs/uploads/`);
    assertRepository(repository, url.href);
    assertRepository(fromRepository, url.href);
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', fromRepository);
    const response = await this.send({ method: 'POST', url, scopes: [pushScope(repository), pullScope(fromRepository)] });
    if (response.status === 201) {
      await discard(response);
      return true;
    }
    if (response.status === 202) {
      await discard(response);
      const location = response.headers.get('location');
      if (location !== null) await this.cancelUpload(repository, new URL(location, url));
      return false;
    }
    throw await registryErrorFromResponse(response, 'POST', url, `Mounting blob ${digest} from ${fromRepository} into ${repository}`);
  }

  private async startUpload(repository: string, url: URL): Promise<URL> {
    const response = await this.send({ method: 'POST', url, scopes: [pushScope(repository)] });
    if (response.status !== 202) throw await registryErrorFromResponse(response, 'POST', url, `Starting a blob upload to ${repository}`);
    await discard(response);
    const location = response.headers.get('location');
    if (location === null) throw this.invalidResponse(`Upload to ${repository} started without a Location header`, 'POST', url);
    // Distribution sends absolute URLs, others relative ones: resolve either against the request.
    return new URL(location, url);
  }

  /** Best effort: an abandoned session only costs the registry a purge later. */
  private async cancelUpload(repository: string, url: URL): Promise<void> {
    try {
      await discard(await this.send({ method: 'DELETE', url, scopes: [pushScope(repository)] }));
    } catch {
      // ignored on purpose, see above
    }
  }

  private async parseManifest(
    json: unknown,
    served: string | undefined,
    what: string,
    request: { method: string; url: string },
    validation: ManifestValidation,
  ): Promise<ManifestDocument> {
    if (validation === 'references') {
      const checked = checkManifestReferences(json);
      if ('manifest' in checked) return checked.manifest;
      throw new RegistryError({ message: `Manifest ${what} is not an OCI/Docker v2 manifest or index: ${checked.problem}`, code: RegistryErrorCode.ManifestInvalid, request });
    }
    const { describeManifestProblem, parseManifestDocument } = await import('../manifest/schema.js');
    try {
      return parseManifestDocument(json, served);
    } catch (cause) {
      const detail = describeManifestProblem(cause);
      throw new RegistryError({
        message: `Manifest ${what} is not an OCI/Docker v2 manifest or index: ${detail}`,
        code: RegistryErrorCode.ManifestInvalid,
        request,
        cause,
      });
    }
  }

  private manifestMediaType(manifest: ManifestDocument, served: string | undefined): string {
    if (isIndexMediaType(served) || isImageManifestMediaType(served)) return served as string;
    if (manifest.mediaType !== undefined) return manifest.mediaType;
    return 'manifests' in manifest ? MediaType.OciIndex : MediaType.OciManifest;
  }

  private send(spec: RequestSpec): Promise<TransportResponse> {
    return this.sender.send(spec);
  }

  private invalidResponse(message: string, method: string, url: URL): RegistryError {
    return new RegistryError({ message, code: RegistryErrorCode.InvalidResponse, request: requestInfo(method, url) });
  }

  private url(pathAndQuery: string): URL {
    return new URL(`${this.baseUrl}${pathAndQuery}`);
  }

  private manifestUrl(repository: string, reference: string): URL {
    const url = this.url(`/v2/${repository}/manifests/${reference}`);
    assertRepository(repository, url.href);
    assertReference(reference, url.href);
    return url;
  }

  private blobUrl(repository: string, digest: string): URL {
    const url = this.url(`/v2/${repository}/blobs/${digest}`);
    assertRepository(repository, url.href);
    if (!isDigest(digest)) {
      throw new RegistryError({ message: `"${digest}" is not a blob digest (sha256:<64 hex>)`, code: RegistryErrorCode.DigestInvalid, request: requestInfo('GET', url) });
    }
    return url;
  }


}

export { RegistryClient };
export type { BlobBody } from './transport.js';
export type { ManifestHead, ManifestResult, RegistryClientOptions };
