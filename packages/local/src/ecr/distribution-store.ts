import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Minimal access to the CNCF Distribution registry that stores the local ECR's images.
 * Hand-written rather than @dockmaster/registry's RegistryClient because the ECR emulation needs
 * what a registry client deliberately hides: Distribution's raw error codes (mapped to ECR
 * exceptions), the raw blob Response (streamed out of layer URLs), and the filesystem storage for
 * what the API cannot do — list untagged manifests and delete a single tag (local-registry notes, "Deleting").
 */

/** Distribution 2.8 answers 404 for OCI manifests unless the Accept header lists their type; send all four. */
const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

interface StoredManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
}

type PutManifestResult = { ok: true; digest: string } | { ok: false; status: number; code: string; message: string; detail: unknown };

interface DistributionLocation {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The registry's `storage.filesystem.rootdirectory`. */
  rootDirectory: string;
}

const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

class DistributionStore {
  private readonly url: string;
  private readonly rootDirectory: string;
  /** Manifests are content-addressed, so a digest's bytes never change: cache them. */
  private readonly manifestCache = new Map<string, StoredManifest>();

  public constructor(location: DistributionLocation) {
    this.url = location.url.replace(/\/+$/, '');
    this.rootDirectory = location.rootDirectory;
  }

  private repositoryDirectory(repository: string): string {
    return path.join(this.rootDirectory, 'docker', 'registry', 'v2', 'repositories', ...repository.split('/'));
  }

  /** Tag -> digest of a repository, read from storage (the API's tag list is unsorted, unpaginated and needs a HEAD per tag). */
  public async tagDigests(repository: string): Promise<Map<string, string>> {
    const tagsDirectory = path.join(this.repositoryDirectory(repository), '_manifests', 'tags');
    const result = new Map<string, string>();
    for (const tag of await listDirectory(tagsDirectory)) {
      const link = await readLink(path.join(tagsDirectory, tag, 'current', 'link'));
      if (link !== undefined) result.set(tag, link);
    }
    return result;
  }

  /** The digest one tag names, read from its link alone; undefined when the tag does not exist. `tag` must be a valid tag (no path). */
  public async tagDigest(repository: string, tag: string): Promise<string | undefined> {
    return readLink(path.join(this.repositoryDirectory(repository), '_manifests', 'tags', tag, 'current', 'link'));
  }

  /** Whether the repository stores this manifest (its revision link), without listing the others. */
  public async hasManifest(repository: string, digest: string): Promise<boolean> {
    if (!DIGEST_PATTERN.test(digest)) return false;
    const link = await readLink(path.join(this.repositoryDirectory(repository), '_manifests', 'revisions', 'sha256', digest.slice('sha256:'.length), 'link'));
    return link === digest;
  }

  /** Every manifest digest stored in the repository, tagged or not (a deleted manifest loses its revision link). */
  public async manifestDigests(repository: string): Promise<string[]> {
    const revisionsDirectory = path.join(this.repositoryDirectory(repository), '_manifests', 'revisions', 'sha256');
    const digests: string[] = [];
    for (const hex of await listDirectory(revisionsDirectory)) {
      const link = await readLink(path.join(revisionsDirectory, hex, 'link'));
      if (link !== undefined) digests.push(link);
    }
    return digests;
  }

  public async getManifest(repository: string, reference: string): Promise<StoredManifest | undefined> {
    const cached = DIGEST_PATTERN.test(reference) ? this.manifestCache.get(reference) : undefined;
    if (cached !== undefined) return cached;
    const response = await fetch(`${this.url}/v2/${repository}/manifests/${reference}`, { headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') } });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) throw new Error(`Distribution GET manifest ${repository}:${reference} answered ${response.status}: ${await response.text()}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const manifest: StoredManifest = {
      digest: response.headers.get('docker-content-digest') ?? sha256Digest(bytes),
      mediaType: (response.headers.get('content-type') ?? '').split(';')[0] ?? '',
      bytes,
    };
    this.manifestCache.set(manifest.digest, manifest);
    return manifest;
  }

  /** PUT a manifest by tag or digest; Distribution's own errors (MANIFEST_BLOB_UNKNOWN, ...) are returned for mapping. */
  public async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<PutManifestResult> {
    const response = await fetch(`${this.url}/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body: new Uint8Array(bytes),
    });
    if (response.status === 201) {
      await response.body?.cancel();
      return { ok: true, digest: response.headers.get('docker-content-digest') ?? sha256Digest(bytes) };
    }
    const text = await response.text();
    let error: { code?: string; message?: string; detail?: unknown } = {};
    try {
      const parsed = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string; detail?: unknown }> };
      error = parsed.errors?.[0] ?? {};
    } catch {
      // not JSON (e.g. the plain-text 404 for invalid names)
    }
    return { ok: false, status: response.status, code: error.code ?? 'UNKNOWN', message: error.message ?? text, detail: error.detail };
  }

  /** Deletes a manifest by digest; Distribution removes every tag pointing at it too. */
  public async deleteManifest(repository: string, digest: string): Promise<boolean> {
    this.manifestCache.delete(digest);
    const response = await fetch(`${this.url}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
    await response.body?.cancel();
    if (response.status === 202) return true;
    if (response.status === 404) return false;
    throw new Error(`Distribution DELETE manifest ${repository}@${digest} answered ${response.status}`);
  }

  /** Removes one tag only. The API cannot (400 DIGEST_INVALID); removing its storage directory is the known local workaround. */
  public async deleteTag(repository: string, tag: string): Promise<void> {
    await rm(path.join(this.repositoryDirectory(repository), '_manifests', 'tags', tag), { recursive: true, force: true });
  }

  /** Removes the repository's storage (links only; blobs stay until an offline GC, as in Distribution itself). */
  public async deleteRepository(repository: string): Promise<void> {
    await rm(this.repositoryDirectory(repository), { recursive: true, force: true });
  }

  public async headBlob(repository: string, digest: string): Promise<{ size: number } | undefined> {
    const response = await fetch(`${this.url}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
    if (response.status !== 200) return undefined;
    return { size: Number(response.headers.get('content-length') ?? '0') };
  }

  /** Streams a blob (Distribution serves it itself on filesystem storage; no redirect to follow). */
  public async getBlob(repository: string, digest: string): Promise<Response> {
    return fetch(`${this.url}/v2/${repository}/blobs/${digest}`);
  }
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readLink(file: string): Promise<string | undefined> {
  try {
    const link = (await readFile(file, 'utf8')).trim();
    return DIGEST_PATTERN.test(link) ? link : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export { DIGEST_PATTERN, DistributionStore, MANIFEST_MEDIA_TYPES, sha256Digest };
export type { DistributionLocation, PutManifestResult, StoredManifest };
