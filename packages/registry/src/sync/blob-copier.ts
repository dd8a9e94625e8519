import { Transform } from 'node:stream';
import type { Descriptor } from '../manifest/index.js';
import type { Limiter } from './limiter.js';
import type { SyncRegistry } from './types.js';

interface BlobCounters {
  uploaded: number;
  mounted: number;
  skipped: number;
  bytesUploaded: number;
}

interface BlobCopierOptions {
  source: SyncRegistry;
  target: SyncRegistry;
  /** Bounds the blob requests (HEAD, mount, upload) in flight; waiting for another copy holds no slot. */
  slots: Limiter;
  /** Called for each chunk streamed to the target; without it the bytes pass through untouched (less CPU). */
  onBytes?: (bytes: number) => void;
}

/** Layers that registries must not redistribute (Windows base layers): they stay at their `urls`. */
function isDistributable(descriptor: Descriptor): boolean {
  const type = descriptor.mediaType;
  return !type.includes('nondistributable') && !type.includes('foreign');
}

/**
 * Gets blobs into target repositories with as few bytes and requests as possible, for one sync run:
 * - the first repository to need a blob HEADs it and, if missing, streams it from the source (no buffering);
 * - every other repository waits for that copy, then mounts it from there (one POST, no bytes);
 * - each (repository, blob) pair is handled once, however many images share it.
 */
class BlobCopier {
  public readonly counters: BlobCounters = { uploaded: 0, mounted: 0, skipped: 0, bytesUploaded: 0 };
  /** digest -> the target repository where its first copy landed (pending while it is being copied). */
  private readonly firstCopy = new Map<string, Promise<string>>();
  /** `repository@digest` -> the work that puts it there. */
  private readonly pairs = new Map<string, Promise<void>>();

  public constructor(private readonly options: BlobCopierOptions) {}

  /**
   * Resolves once `repository` in the target has the blob. The bytes, when they have to travel, are read from
   * `sourceRepository` (the same name unless the copy renames the repository).
   */
  public ensure(repository: string, descriptor: Descriptor, sourceRepository: string = repository): Promise<void> {
    const key = `${repository}@${descriptor.digest}`;
    let work = this.pairs.get(key);
    if (work === undefined) {
      work = this.ensurePair(repository, descriptor, sourceRepository);
      this.pairs.set(key, work);
      // A failed pair may be retried by a later image (e.g. a transient error), so do not cache the failure.
      work.catch(() => {
        if (this.pairs.get(key) === work) this.pairs.delete(key);
      });
    }
    return work;
  }

  private async ensurePair(repository: string, descriptor: Descriptor, sourceRepository: string): Promise<void> {
    const pending = this.firstCopy.get(descriptor.digest);
    if (pending === undefined) {
      const landing = this.options.slots(() => this.headOrUpload(repository, descriptor, sourceRepository));
      this.firstCopy.set(descriptor.digest, landing);
      try {
        await landing;
      } catch (error) {
        if (this.firstCopy.get(descriptor.digest) === landing) this.firstCopy.delete(descriptor.digest);
        throw error;
      }
      return;
    }
    let landedIn: string;
    try {
      landedIn = await pending;
    } catch {
      // That copy failed; this repository tries on its own (and becomes the first copy if nobody else did).
      if (this.firstCopy.get(descriptor.digest) === pending) this.firstCopy.delete(descriptor.digest);
      return this.ensurePair(repository, descriptor, sourceRepository);
    }
    if (landedIn === repository) return;
    await this.options.slots(async () => {
      if (await this.options.target.mountBlob(repository, descriptor.digest, landedIn)) {
        this.counters.mounted += 1;
        return;
      }
      // Mount refused (another permission boundary, a registry without mounts): copy the bytes after all.
      await this.upload(repository, descriptor, sourceRepository);
    });
  }

  private async headOrUpload(repository: string, descriptor: Descriptor, sourceRepository: string): Promise<string> {
    if ((await this.options.target.headBlob(repository, descriptor.digest)) !== null) {
      this.counters.skipped += 1;
      return repository;
    }
    await this.upload(repository, descriptor, sourceRepository);
    return repository;
  }

  /**
   * Streams source GET -> target PUT as Node streams. The source side checks the size but does not hash: the
   * PUT carries `?digest=` and the target registry verifies it (Distribution and ECR reject a mismatch with
   * DIGEST_INVALID), so a corrupt source blob fails the upload either way and hashing here too only costs CPU.
   */
  private async upload(repository: string, descriptor: Descriptor, sourceRepository: string): Promise<void> {
    const { source, target, onBytes } = this.options;
    const stream = await source.openBlobReadable(sourceRepository, descriptor.digest, { expectedSize: descriptor.size, verifyDigest: false });
    const body =
      onBytes === undefined
        ? stream
        : stream.pipe(
            new Transform({
              transform(chunk: Buffer, _encoding, callback) {
                onBytes(chunk.length);
                callback(null, chunk);
              },
            }),
          );
    if (body !== stream) stream.once('error', (error) => body.destroy(error));
    try {
      await target.uploadBlob(repository, descriptor.digest, body, descriptor.size);
    } catch (error) {
      // Frees the source connection when the upload failed before reading the whole body.
      stream.destroy();
      throw error;
    }
    this.counters.uploaded += 1;
    this.counters.bytesUploaded += descriptor.size;
  }
}

export { BlobCopier, isDistributable };
export type { BlobCounters };
