import { RegistryError, RegistryErrorCode } from '../client/errors.js';
// media-types.js itself, not the manifest barrel, which loads zod (see copyManifest).
import { isImageManifestMediaType, isIndexMediaType } from '../manifest/media-types.js';
import type { Descriptor, ImageIndex, ManifestDocument } from '../manifest/schema.js';
import { BlobCopier, isDistributable } from './blob-copier.js';
import { createLimiter } from './limiter.js';
import type { Limiter } from './limiter.js';
import { compareText } from './order.js';
import { emptySyncState, SyncStateBook } from './state.js';
import { SkipReason } from './types.js';
import type { ChosenTag, RepositoryCopy, SyncImageIdentity, SyncImageResult, SyncOptions, SyncProgress, SyncReport, SyncRepositoryError } from './types.js';

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

/** A source repository and the target repository it is copied into (the same name unless renamed). */
interface RepositoryPair {
  source: string;
  target: string;
}

/** What one repository pair copies: every listed tag (`tags` undefined) or the chosen ones. */
interface PairPlan extends RepositoryPair {
  tags: ChosenTag[] | undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The failure part of a result: the message, and the registry's HTTP status and error code when a registry refused. */
function failureOf(error: unknown): { error: string; httpStatus?: number; code?: string } {
  if (!(error instanceof RegistryError)) return { error: errorMessage(error) };
  return { error: error.message, ...(error.status === undefined ? {} : { httpStatus: error.status }), code: error.code };
}

/** `targetRepository` when the copy renames the repository; nothing when the names are the same. */
function renamedTarget(pair: RepositoryPair): { targetRepository?: string } {
  return pair.target === pair.source ? {} : { targetRepository: pair.target };
}

/** `repository` and `tag`, plus `targetRepository` when the copy renames the repository. */
function identityOf(pair: RepositoryPair, tag: string): SyncImageIdentity {
  return { repository: pair.source, ...renamedTarget(pair), tag };
}

/**
 * The options' repositories as pairs, each pair once, sorted. A pair named twice copies the union of its
 * tags (every tag if either names none).
 */
function planPairs(repositories: readonly (string | RepositoryCopy)[]): PairPlan[] {
  const plans = new Map<string, PairPlan>();
  for (const entry of repositories) {
    const copy: RepositoryCopy = typeof entry === 'string' ? { source: entry } : entry;
    const target = copy.target ?? copy.source;
    const key = `${copy.source}\n${target}`;
    const tags = copy.tags === undefined ? undefined : [...copy.tags];
    const known = plans.get(key);
    if (known === undefined) plans.set(key, { source: copy.source, target, tags });
    else known.tags = known.tags === undefined || tags === undefined ? undefined : [...known.tags, ...tags];
  }
  return [...plans.values()].sort((a, b) => compareText(a.source, b.source) || compareText(a.target, b.target));
}

/** Chosen tags as `{ tag, digest? }`, each tag once (a resolved digest wins over a bare name). */
function chosenTags(tags: readonly ChosenTag[]): { tag: string; digest?: string }[] {
  const byTag = new Map<string, { tag: string; digest?: string }>();
  for (const chosen of tags) {
    const entry: { tag: string; digest?: string } = typeof chosen === 'string' ? { tag: chosen } : chosen;
    if (!byTag.has(entry.tag) || entry.digest !== undefined) byTag.set(entry.tag, entry);
  }
  return [...byTag.values()];
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
async function copyManifest(context: RunContext, pair: RepositoryPair, digest: string, reference: string): Promise<string> {
  const { source, target } = context.options;
  // Light validation: these bytes go verbatim to the target, which validates the whole manifest on PUT.
  const manifest = await source.getManifest(pair.source, digest, { validation: 'references' });
  const document = manifest.manifest;
  const ensureBlob = (blob: Descriptor): Promise<void> => context.blobs.ensure(pair.target, blob, pair.source);
  // manifestReferences() in two lines, as its module would load the zod schemas.
  if (isIndexDocument(document)) {
    const unique = [...new Map(document.manifests.map((child) => [child.digest, child])).values()];
    await Promise.all(unique.map((child) => (isManifestDescriptor(child) ? copyChild(context, pair, child.digest) : ensureBlob(child))));
  } else {
    await Promise.all([document.config, ...document.layers].filter(isDistributable).map(ensureBlob));
  }
  await target.putManifest(pair.target, reference, manifest.bytes, manifest.mediaType);
  context.manifestsPut += 1;
  return manifest.mediaType;
}

function copyChild(context: RunContext, pair: RepositoryPair, digest: string): Promise<void> {
  const key = `${pair.target}@${digest}`;
  let copy = context.childCopies.get(key);
  if (copy === undefined) {
    copy = copyManifest(context, pair, digest, digest).then(() => undefined);
    context.childCopies.set(key, copy);
    copy.catch(() => {
      if (context.childCopies.get(key) === copy) context.childCopies.delete(key);
    });
  }
  return copy;
}

/**
 * One tag: one HEAD at the source (none when the caller resolved the digest), then nothing more when the state
 * or the target says it is current. `listed`: the tag came from the source's tag list, not from the caller.
 */
async function syncImage(context: RunContext, pair: RepositoryPair, chosen: { tag: string; digest?: string }, listed: boolean): Promise<SyncImageResult> {
  const { source, target } = context.options;
  const { tag } = chosen;
  const identity = identityOf(pair, tag);
  let digest = chosen.digest;
  try {
    if (digest === undefined) {
      const head = await context.checks(() => source.headManifest(pair.source, tag));
      if (head === null) {
        const error = listed
          ? `${source.baseUrl}/${pair.source}:${tag} is listed but has no manifest (deleted during the sync?)`
          : `${source.baseUrl}/${pair.source} has no tag ${tag}`;
        return { ...identity, status: 'failed', error, httpStatus: 404, code: RegistryErrorCode.ManifestUnknown };
      }
      digest = head.digest;
    }
    const resolved = digest;
    const previous = context.book.get(source.baseUrl, pair.source, tag, pair.target);
    if (previous !== undefined && previous.digest === resolved && previous.target === target.baseUrl) {
      return { ...identity, status: 'skipped', digest: resolved, reason: SkipReason.State };
    }
    const entry = { source: source.baseUrl, repository: pair.source, tag, digest: resolved, target: target.baseUrl, ...renamedTarget(pair) };
    const current = await context.checks(() => target.headManifest(pair.target, tag));
    if (current?.digest === resolved) {
      context.book.record(entry);
      return { ...identity, status: 'skipped', digest: resolved, reason: SkipReason.TargetCurrent };
    }
    // By digest, not by tag: the tag may move while we copy, and the digest is what we checked.
    const mediaType = await context.copies(() => copyManifest(context, pair, resolved, tag));
    context.book.record(entry);
    return { ...identity, status: 'copied', digest: resolved, mediaType };
  } catch (error) {
    return { ...identity, status: 'failed', ...(digest === undefined ? {} : { digest }), ...failureOf(error) };
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
  return (
    compareText(a.repository, b.repository) ||
    compareText(a.targetRepository ?? a.repository, b.targetRepository ?? b.repository) ||
    compareText(a.tag, b.tag)
  );
}

/**
 * Copies the tags of `repositories` (every tag, or the chosen ones) from `source` to `target`, into the same
 * repository names or renamed ones, with digests preserved: the exact manifest and index bytes, children before
 * the index, blobs skipped when present, mounted across repositories, otherwise streamed. One failed image does
 * not stop the others; the report says which failed and why.
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
    planPairs(options.repositories).map(async (pair) => {
      let images: { tag: string; digest?: string }[];
      if (pair.tags === undefined) {
        const listed = await context.checks(() => listTags(options, pair.source));
        if ('error' in listed) {
          repositoryErrors.push({ repository: pair.source, ...renamedTarget(pair), error: listed.error });
          return [];
        }
        context.book.prune(options.source.baseUrl, pair.source, new Set(listed.tags));
        images = listed.tags.map((tag) => ({ tag }));
      } else {
        // Chosen tags: the other tags' state entries stay, since nothing here says the source dropped them.
        images = chosenTags(pair.tags);
      }
      progress.imagesTotal += images.length;
      emit();
      return Promise.all(
        images.map((image) =>
          syncImage(context, pair, image, pair.tags === undefined).then((result) => {
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
