// media-types.js itself, not the manifest barrel, which loads zod (see copyManifest).
import { isImageManifestMediaType, isIndexMediaType } from '../manifest/media-types.js';
import type { Descriptor, ImageIndex, ManifestDocument } from '../manifest/schema.js';
import { BlobCopier, isDistributable } from './blob-copier.js';
import { createLimiter } from './limiter.js';
import type { Limiter } from './limiter.js';
import { compareText } from './order.js';
import { emptySyncState, SyncStateBook } from './state.js';
import { SkipReason } from './types.js';
import type { SyncImageResult, SyncOptions, SyncProgress, SyncReport, SyncRepositoryError } from './types.js';

const DEFAULT_CONCURRENCY = 8;
/**
 * Tag lists and manifest HEADs run this many times wider than copies: each is one small request, and a no-op
 * run is nothing but those, so its time is their number divided by how many are in flight.
 */
const CHECKS_PER_COPY = 2;

interface RunContext {
  options: SyncOptions;
  /** Bounds tag lists and manifest HEADs. */
  checks: Limiter;
  /** Bounds images being copied (their blob requests have their own slots in the BlobCopier). */
  copies: Limiter;
  blobs: BlobCopier;
  book: SyncStateBook;
  /** `repository@digest` -> the copy of that child manifest, shared by every index that lists it. */
  childCopies: Map<string, Promise<void>>;
  manifestsPut: number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** isImageIndex() of the manifest module, whose file loads zod. */
function isIndexDocument(document: ManifestDocument): document is ImageIndex {
  return 'manifests' in document;
}

/** True for descriptors that name a manifest (index children), false for plain blobs. */
function isManifestDescriptor(descriptor: Descriptor): boolean {
  return isImageManifestMediaType(descriptor.mediaType) || isIndexMediaType(descriptor.mediaType);
}

/**
 * Copies one manifest by digest with everything it references, then PUTs the exact source bytes under
 * `reference` (the tag, or the digest for index children). Children go before their index, blobs before
 * their manifest, because registries reject manifests that reference content they do not have.
 */
async function copyManifest(context: RunContext, repository: string, digest: string, reference: string): Promise<string> {
  const { source, target } = context.options;
  // Light validation: these bytes go verbatim to the target, which validates the whole manifest on PUT.
  const manifest = await source.getManifest(repository, digest, { validation: 'references' });
  const document = manifest.manifest;
  // manifestReferences() in two lines, as its module would load the zod schemas.
  if (isIndexDocument(document)) {
    const unique = [...new Map(document.manifests.map((child) => [child.digest, child])).values()];
    await Promise.all(unique.map((child) => (isManifestDescriptor(child) ? copyChild(context, repository, child.digest) : context.blobs.ensure(repository, child))));
  } else {
    await Promise.all([document.config, ...document.layers].filter(isDistributable).map((blob) => context.blobs.ensure(repository, blob)));
  }
  await target.putManifest(repository, reference, manifest.bytes, manifest.mediaType);
  context.manifestsPut += 1;
  return manifest.mediaType;
}

function copyChild(context: RunContext, repository: string, digest: string): Promise<void> {
  const key = `${repository}@${digest}`;
  let copy = context.childCopies.get(key);
  if (copy === undefined) {
    copy = copyManifest(context, repository, digest, digest).then(() => undefined);
    context.childCopies.set(key, copy);
    copy.catch(() => {
      if (context.childCopies.get(key) === copy) context.childCopies.delete(key);
    });
  }
  return copy;
}

/** One tag: one HEAD at the source, then nothing more when the state or the target says it is current. */
async function syncImage(context: RunContext, repository: string, tag: string): Promise<SyncImageResult> {
  const { source, target } = context.options;
  let digest: string | undefined;
  try {
    const head = await context.checks(() => source.headManifest(repository, tag));
    if (head === null) return { repository, tag, status: 'failed', error: `${source.baseUrl}/${repository}:${tag} is listed but has no manifest (deleted during the sync?)` };
    digest = head.digest;
    const previous = context.book.get(source.baseUrl, repository, tag);
    if (previous !== undefined && previous.digest === digest && previous.target === target.baseUrl) {
      return { repository, tag, status: 'skipped', digest, reason: SkipReason.State };
    }
    const entry = { source: source.baseUrl, repository, tag, digest, target: target.baseUrl };
    const current = await context.checks(() => target.headManifest(repository, tag));
    if (current?.digest === digest) {
      context.book.record(entry);
      return { repository, tag, status: 'skipped', digest, reason: SkipReason.TargetCurrent };
    }
    // By digest, not by tag: the tag may move while we copy, and the digest is what we checked.
    const mediaType = await context.copies(() => copyManifest(context, repository, head.digest, tag));
    context.book.record(entry);
    return { repository, tag, status: 'copied', digest, mediaType };
  } catch (error) {
    return { repository, tag, status: 'failed', ...(digest === undefined ? {} : { digest }), error: errorMessage(error) };
  }
}

/** Tags of one repository, or why they could not be listed. */
async function listTags(options: SyncOptions, repository: string): Promise<{ tags: string[] } | { error: string }> {
  try {
    return { tags: await options.source.listTags(repository) };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

function byRepositoryAndTag(a: SyncImageResult, b: SyncImageResult): number {
  return compareText(a.repository, b.repository) || compareText(a.tag, b.tag);
}

/**
 * Copies every tag of `repositories` from `source` to `target` with digests preserved: the exact manifest and
 * index bytes, children before the index, blobs skipped when present, mounted across repositories, otherwise
 * streamed. One failed image does not stop the others; the report says which failed and why.
 */
async function syncRepositories(options: SyncOptions): Promise<SyncReport> {
  const started = performance.now();
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const progress: SyncProgress = { imagesTotal: 0, imagesDone: 0, imagesFailed: 0, bytesUploaded: 0, elapsedSeconds: 0 };
  const emit = (finished?: SyncImageResult): void => {
    if (options.onProgress === undefined) return;
    options.onProgress({ ...progress, elapsedSeconds: (performance.now() - started) / 1000, ...(finished === undefined ? {} : { finished }) });
  };
  const blobs = new BlobCopier({
    source: options.source,
    target: options.target,
    slots: createLimiter(concurrency),
    ...(options.onProgress === undefined
      ? {}
      : {
          onBytes: (bytes: number) => {
            progress.bytesUploaded += bytes;
            emit();
          },
        }),
  });
  const context: RunContext = { options, checks: createLimiter(concurrency * CHECKS_PER_COPY), copies: createLimiter(concurrency), blobs, book: new SyncStateBook(options.state ?? emptySyncState()), childCopies: new Map(), manifestsPut: 0 };

  // Each repository's images start as soon as its tags are listed (same slots, FIFO), not after all lists.
  const repositoryErrors: SyncRepositoryError[] = [];
  const perRepository = await Promise.all(
    [...new Set(options.repositories)].sort().map(async (repository) => {
      const listed = await context.checks(() => listTags(options, repository));
      if ('error' in listed) {
        repositoryErrors.push({ repository, error: listed.error });
        return [];
      }
      context.book.prune(options.source.baseUrl, repository, new Set(listed.tags));
      progress.imagesTotal += listed.tags.length;
      emit();
      return Promise.all(
        listed.tags.map((tag) =>
          syncImage(context, repository, tag).then((result) => {
            progress.imagesDone += 1;
            if (result.status === 'failed') progress.imagesFailed += 1;
            emit(result);
            return result;
          }),
        ),
      );
    }),
  );
  const images = perRepository.flat().sort(byRepositoryAndTag);
  repositoryErrors.sort((a, b) => compareText(a.repository, b.repository));

  const count = (status: SyncImageResult['status']): number => images.filter((image) => image.status === status).length;
  return {
    images,
    repositoryErrors,
    imagesCopied: count('copied'),
    imagesSkipped: count('skipped'),
    imagesFailed: count('failed'),
    blobsUploaded: blobs.counters.uploaded,
    blobsMounted: blobs.counters.mounted,
    blobsSkipped: blobs.counters.skipped,
    bytesUploaded: blobs.counters.bytesUploaded,
    manifestsPut: context.manifestsPut,
    seconds: (performance.now() - started) / 1000,
    state: context.book.toState(),
    stateChanged: context.book.hasChanged,
  };
}

export { CHECKS_PER_COPY, DEFAULT_CONCURRENCY, syncRepositories };
