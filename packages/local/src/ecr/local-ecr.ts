import { ecrRepositoryArn } from '@dockmaster/core/topology';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../aws-endpoint/clock.js';
import type { Clock } from '../aws-endpoint/clock.js';
import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { paginate } from '../aws-endpoint/pagination.js';
import { DistributionStore, sha256Digest } from './distribution-store.js';
import type { DistributionLocation, StoredManifest } from './distribution-store.js';
import { imageNotFound, invalidNextToken, invalidParameter, repositoryNotFound } from './ecr-errors.js';
import { EcrFaults } from './ecr-faults.js';
import { isValidImageDigest, isValidImageTag, repositoryNameProblem } from './ecr-names.js';
import { createRegistryPassword, isValidLayerSignature, layerSignature, verifyAuthorizationToken } from './signed-tokens.js';
import { ImageTagMutability, isTagImmutable, tagMutabilityProblem } from './tag-mutability.js';
import type { TagMutabilityExclusionFilter, TagMutabilitySettings } from './tag-mutability.js';

/** Pull-through cache rule as declared to the local stack (DescribePullThroughCacheRules serves them). */
interface PullThroughCacheRuleDeclaration {
  ecrRepositoryPrefix: string;
  upstreamRegistryUrl: string;
  upstreamRegistry?: string;
  upstreamRepositoryPrefix?: string;
  credentialArn?: string;
  customRoleArn?: string;
  createdAt?: Date;
}

interface LocalEcrOptions {
  /** The Distribution registry holding the images (its filesystem storage is needed for tags and untagged images). */
  distribution: DistributionLocation;
  /** URL of the registry front docker/skopeo talk to: GetAuthorizationToken's proxyEndpoint, host of every repositoryUri. */
  registryFrontUrl: string;
  accountId?: string;
  region?: string;
  pullThroughCacheRules?: readonly PullThroughCacheRuleDeclaration[];
  clock?: Clock;
  /** Signs registry tokens and layer URLs; random per instance unless given. */
  secret?: string;
}

type RepositoryCreator = 'api' | 'pull-through-cache';

interface RepositoryState {
  repositoryName: string;
  repositoryArn: string;
  registryId: string;
  repositoryUri: string;
  createdAt: Date;
  createdBy: RepositoryCreator;
  tagMutability: TagMutabilitySettings;
  scanOnPush: boolean;
  policyText: string | undefined;
  lifecyclePolicyText: string | undefined;
}

interface ImageAction {
  actionType: 'PUSH' | 'DELETE';
  repository: string;
  digest: string;
  tag?: string;
}

interface RepositoryCreated {
  repository: string;
  createdBy: RepositoryCreator;
}

interface ImageIdentifier {
  imageDigest?: string | undefined;
  imageTag?: string | undefined;
}

interface LocalImage {
  digest: string;
  tags: string[];
  pushedAt: Date;
}

interface ImageFailure {
  imageId: ImageIdentifier;
  failureCode: string;
  failureReason: string;
}

type Listener<T> = (event: T) => void | Promise<void>;

/** Wire shape of a recorded DescribeImageScanFindings answer (dates as Date, ISO string or epoch seconds). */
type RecordedScanFindings = Record<string, unknown> & {
  imageScanStatus?: unknown;
  imageScanFindings?: Record<string, unknown> & { findings?: unknown[]; enhancedFindings?: unknown[] };
};

const INDEX_MEDIA_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const MAX_MANIFEST_CHARS = 4_194_304;
const MAX_POLICY_CHARS = 10_240;
const MAX_LIFECYCLE_POLICY_CHARS = 30_720;
const TOKEN_VALIDITY_MS = 12 * 60 * 60 * 1000;
// ECR-GUESS: ECR does not document how long its presigned layer URLs live; an hour is plenty for a pull.
const LAYER_URL_VALIDITY_MS = 60 * 60 * 1000;

/** Epoch-second numbers and ISO strings of `...At`/`...Date` keys become Dates, so the wire writer emits epoch seconds again. */
function normaliseTimestamps(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normaliseTimestamps(item));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([childKey, child]) => [childKey, normaliseTimestamps(child, childKey)]));
  }
  if (/(At|Date)$/.test(key) && (typeof value === 'number' || typeof value === 'string')) {
    const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  return value;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The local ECR: repository state in memory, images in a real Distribution registry.
 * Operation methods take already-validated inputs and answer in the ECR API's JSON shapes.
 */
class LocalEcr {
  public readonly registryId: string;
  public readonly region: string;
  public readonly registryFrontUrl: string;
  /** Faults to inject into this ECR's API (the AWS endpoint) and registry (the registry front): `ecr.faults.inject({...})`. */
  public readonly faults = new EcrFaults();
  private readonly store: DistributionStore;
  private readonly clock: Clock;
  private readonly secret: string;
  private readonly registryHost: string;
  private readonly repositories = new Map<string, RepositoryState>();
  private readonly pushedAt = new Map<string, Date>();
  private readonly scanFindings = new Map<string, RecordedScanFindings>();
  private readonly pullThroughCacheRules: readonly PullThroughCacheRuleDeclaration[];
  private readonly imageActionListeners = new Set<Listener<ImageAction>>();
  private readonly repositoryCreatedListeners = new Set<Listener<RepositoryCreated>>();

  public constructor(options: LocalEcrOptions) {
    this.registryId = options.accountId ?? '000000000000';
    this.region = options.region ?? 'eu-central-1';
    this.registryFrontUrl = options.registryFrontUrl.replace(/\/+$/, '');
    this.registryHost = new URL(this.registryFrontUrl).host;
    this.store = new DistributionStore(options.distribution);
    this.clock = options.clock ?? systemClock;
    this.secret = options.secret ?? randomBytes(32).toString('hex');
    this.pullThroughCacheRules = options.pullThroughCacheRules ?? [];
  }

  // ---------------------------------------------------------------- programmatic API for the local stack

  /** Subscribes to image pushes/deletions made through the API (PutImage, BatchDeleteImage); returns an unsubscribe function. */
  public onImageAction(listener: Listener<ImageAction>): () => void {
    this.imageActionListeners.add(listener);
    return () => this.imageActionListeners.delete(listener);
  }

  /** Subscribes to repository creation (API or pull-through cache), for the CloudTrail-shaped events. */
  public onRepositoryCreated(listener: Listener<RepositoryCreated>): () => void {
    this.repositoryCreatedListeners.add(listener);
    return () => this.repositoryCreatedListeners.delete(listener);
  }

  public repositoryExists(name: string): boolean {
    return this.repositories.has(name);
  }

  /** Creates a repository the way ECR itself does (e.g. on a first pull through a cache rule): default settings unless given. */
  public async createRepositoryInternal(
    name: string,
    options: { createdBy: RepositoryCreator; imageTagMutability?: TagMutabilitySettings; scanOnPush?: boolean },
  ): Promise<RepositoryState> {
    return this.addRepository(name, options.createdBy, options.imageTagMutability ?? { imageTagMutability: ImageTagMutability.Mutable }, options.scanOnPush ?? false);
  }

  /** True when a push over the existing `tag` in `repository` would be refused (repository unknown: false). */
  public isTagImmutable(repository: string, tag: string): boolean {
    const state = this.repositories.get(repository);
    return state !== undefined && isTagImmutable(state.tagMutability, tag);
  }

  /** Stores a scan result for DescribeImageScanFindings/DescribeImages; `findings` is a DescribeImageScanFindings response body. */
  public recordScanFindings(repository: string, digest: string, findings: RecordedScanFindings): void {
    this.scanFindings.set(`${repository}@${digest}`, normaliseTimestamps(findings) as RecordedScanFindings);
  }

  /** Records when an image arrived (the registry front calls it for docker pushes); the first record wins. */
  public recordImagePush(repository: string, digest: string, at: Date = new Date(this.clock.now())): void {
    const key = `${repository}@${digest}`;
    if (!this.pushedAt.has(key)) this.pushedAt.set(key, at);
  }

  /** Checks a registry `Authorization` header against the tokens GetAuthorizationToken issued. */
  public verifyAuthorizationToken(header: string | undefined): boolean {
    return verifyAuthorizationToken(header, this.secret, this.clock.now());
  }

  /** Serves a GetDownloadUrlForLayer URL: `<repository>/<digest>?expires=&sig=`, no auth header needed. */
  public async downloadLayer(path: string, query: URLSearchParams): Promise<Response> {
    const separator = path.lastIndexOf('/');
    const repository = path.slice(0, separator);
    const digest = path.slice(separator + 1);
    if (separator < 0 || !isValidLayerSignature(this.secret, repository, digest, query, this.clock.now())) {
      // Like S3 for a bad or expired presigned URL.
      return new Response('<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>', {
        status: 403,
        headers: { 'content-type': 'application/xml' },
      });
    }
    return this.store.getBlob(repository, digest);
  }

  // ---------------------------------------------------------------- repositories

  private async addRepository(name: string, createdBy: RepositoryCreator, tagMutability: TagMutabilitySettings, scanOnPush: boolean): Promise<RepositoryState> {
    const problem = repositoryNameProblem(name) ?? tagMutabilityProblem(tagMutability);
    if (problem !== undefined) throw invalidParameter(problem);
    if (this.repositories.has(name)) {
      throw new AwsServiceError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${this.registryId}'`);
    }
    const state: RepositoryState = {
      repositoryName: name,
      repositoryArn: ecrRepositoryArn({ accountId: this.registryId, region: this.region }, name),
      registryId: this.registryId,
      repositoryUri: `${this.registryHost}/${name}`,
      createdAt: new Date(this.clock.now()),
      createdBy,
      tagMutability,
      scanOnPush,
      policyText: undefined,
      lifecyclePolicyText: undefined,
    };
    this.repositories.set(name, state);
    await this.notify(this.repositoryCreatedListeners, { repository: name, createdBy });
    return state;
  }

  private repository(name: string): RepositoryState {
    const state = this.repositories.get(name);
    if (state === undefined) throw repositoryNotFound(name, this.registryId);
    return state;
  }

  private repositoryOutput(state: RepositoryState): Record<string, unknown> {
    return {
      repositoryArn: state.repositoryArn,
      registryId: state.registryId,
      repositoryName: state.repositoryName,
      repositoryUri: state.repositoryUri,
      createdAt: state.createdAt,
      imageTagMutability: state.tagMutability.imageTagMutability,
      ...(state.tagMutability.imageTagMutabilityExclusionFilters === undefined ? {} : { imageTagMutabilityExclusionFilters: state.tagMutability.imageTagMutabilityExclusionFilters }),
      imageScanningConfiguration: { scanOnPush: state.scanOnPush },
      // ECR-GUESS: the local stack has no KMS; every repository reports ECR's default encryption.
      encryptionConfiguration: { encryptionType: 'AES256' },
    };
  }

  public async createRepository(input: { repositoryName: string; imageTagMutability?: TagMutabilitySettings['imageTagMutability'] | undefined; imageTagMutabilityExclusionFilters?: TagMutabilityExclusionFilter[] | undefined; imageScanningConfiguration?: { scanOnPush?: boolean | undefined } | undefined }): Promise<object> {
    const state = await this.addRepository(
      input.repositoryName,
      'api',
      { imageTagMutability: input.imageTagMutability ?? ImageTagMutability.Mutable, imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters },
      input.imageScanningConfiguration?.scanOnPush ?? false,
    );
    return { repository: this.repositoryOutput(state) };
  }

  public describeRepositories(input: { repositoryNames?: string[] | undefined; maxResults?: number | undefined; nextToken?: string | undefined }): object {
    if (input.repositoryNames !== undefined) {
      // ECR-GUESS: maxResults/nextToken are ignored when names are given (the docs say they "cannot be used" together).
      return { repositories: input.repositoryNames.map((name) => this.repositoryOutput(this.repository(name))) };
    }
    const all = [...this.repositories.values()].sort((a, b) => a.repositoryName.localeCompare(b.repositoryName));
    const page = paginate(all, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
    return { repositories: page.items.map((state) => this.repositoryOutput(state)), nextToken: page.nextToken };
  }

  public async deleteRepository(input: { repositoryName: string; force?: boolean | undefined }): Promise<object> {
    const state = this.repository(input.repositoryName);
    const images = await this.listLocalImages(state.repositoryName);
    if (images.length > 0 && input.force !== true) {
      throw new AwsServiceError(
        'RepositoryNotEmptyException',
        `The repository with name '${state.repositoryName}' in registry with id '${this.registryId}' cannot be deleted because it still contains images`,
      );
    }
    for (const image of images) await this.store.deleteManifest(state.repositoryName, image.digest);
    await this.store.deleteRepository(state.repositoryName);
    this.repositories.delete(state.repositoryName);
    for (const key of [...this.pushedAt.keys(), ...this.scanFindings.keys()]) {
      if (key.startsWith(`${state.repositoryName}@`)) {
        this.pushedAt.delete(key);
        this.scanFindings.delete(key);
      }
    }
    // ECR-GUESS: deleting a repository emits no per-image DELETE action (ECR documents none).
    return { repository: this.repositoryOutput(state) };
  }

  // ---------------------------------------------------------------- repository settings and policies

  public putImageScanningConfiguration(input: { repositoryName: string; imageScanningConfiguration: { scanOnPush?: boolean | undefined } }): object {
    const state = this.repository(input.repositoryName);
    state.scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false;
    return { registryId: this.registryId, repositoryName: state.repositoryName, imageScanningConfiguration: { scanOnPush: state.scanOnPush } };
  }

  public putImageTagMutability(input: { repositoryName: string } & TagMutabilitySettings): object {
    const state = this.repository(input.repositoryName);
    const settings: TagMutabilitySettings = { imageTagMutability: input.imageTagMutability, imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters };
    const problem = tagMutabilityProblem(settings);
    if (problem !== undefined) throw invalidParameter(problem);
    state.tagMutability = settings;
    return { registryId: this.registryId, repositoryName: state.repositoryName, ...settings };
  }

  public setRepositoryPolicy(input: { repositoryName: string; policyText: string }): object {
    const state = this.repository(input.repositoryName);
    if (input.policyText.length > MAX_POLICY_CHARS) {
      throw invalidParameter(`Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Member must have length less than or equal to ${MAX_POLICY_CHARS}'`);
    }
    // ECR-GUESS: only JSON syntax is checked locally; real ECR also validates principals ('Invalid repository policy provided').
    if (parseJsonObject(input.policyText) === undefined) {
      throw invalidParameter("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
    }
    state.policyText = input.policyText;
    return { registryId: this.registryId, repositoryName: state.repositoryName, policyText: state.policyText };
  }

  public getRepositoryPolicy(input: { repositoryName: string }): object {
    const state = this.repository(input.repositoryName);
    if (state.policyText === undefined) throw this.policyNotFound(state);
    return { registryId: this.registryId, repositoryName: state.repositoryName, policyText: state.policyText };
  }

  public deleteRepositoryPolicy(input: { repositoryName: string }): object {
    const state = this.repository(input.repositoryName);
    const policyText = state.policyText;
    if (policyText === undefined) throw this.policyNotFound(state);
    state.policyText = undefined;
    return { registryId: this.registryId, repositoryName: state.repositoryName, policyText };
  }

  private policyNotFound(state: RepositoryState): AwsServiceError {
    return new AwsServiceError(
      'RepositoryPolicyNotFoundException',
      `Repository policy does not exist for the repository with name '${state.repositoryName}' in the registry with id '${this.registryId}'`,
    );
  }

  public putLifecyclePolicy(input: { repositoryName: string; lifecyclePolicyText: string }): object {
    const state = this.repository(input.repositoryName);
    if (input.lifecyclePolicyText.length > MAX_LIFECYCLE_POLICY_CHARS) {
      throw invalidParameter(`Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Member must have length less than or equal to ${MAX_LIFECYCLE_POLICY_CHARS}'`);
    }
    // ECR-GUESS: ECR validates the rules themselves too; locally only JSON with a `rules` array is required. Policies are stored, not run.
    if (!Array.isArray(parseJsonObject(input.lifecyclePolicyText)?.rules)) {
      throw invalidParameter("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: a JSON object with a \"rules\" array is required'");
    }
    state.lifecyclePolicyText = input.lifecyclePolicyText;
    return { registryId: this.registryId, repositoryName: state.repositoryName, lifecyclePolicyText: state.lifecyclePolicyText };
  }

  public getLifecyclePolicy(input: { repositoryName: string }): object {
    const state = this.repository(input.repositoryName);
    if (state.lifecyclePolicyText === undefined) throw this.lifecyclePolicyNotFound(state);
    return { registryId: this.registryId, repositoryName: state.repositoryName, lifecyclePolicyText: state.lifecyclePolicyText };
  }

  public deleteLifecyclePolicy(input: { repositoryName: string }): object {
    const state = this.repository(input.repositoryName);
    const lifecyclePolicyText = state.lifecyclePolicyText;
    if (lifecyclePolicyText === undefined) throw this.lifecyclePolicyNotFound(state);
    state.lifecyclePolicyText = undefined;
    return { registryId: this.registryId, repositoryName: state.repositoryName, lifecyclePolicyText };
  }

  private lifecyclePolicyNotFound(state: RepositoryState): AwsServiceError {
    return new AwsServiceError(
      'LifecyclePolicyNotFoundException',
      `Lifecycle policy does not exist for the repository with name '${state.repositoryName}' in the registry with id '${this.registryId}'`,
    );
  }

  // ---------------------------------------------------------------- images

  /** Every image of a repository (tagged or not), oldest push first, then by digest for a stable order. */
  private async listLocalImages(repository: string): Promise<LocalImage[]> {
    const [digests, tagDigests] = await Promise.all([this.store.manifestDigests(repository), this.store.tagDigests(repository)]);
    const tagsByDigest = new Map<string, string[]>();
    for (const [tag, digest] of tagDigests) tagsByDigest.set(digest, [...(tagsByDigest.get(digest) ?? []), tag]);
    const images = digests.map((digest) => {
      // Images pushed straight to the registry have no recorded push time: the first sighting stands in for it.
      this.recordImagePush(repository, digest);
      return { digest, tags: (tagsByDigest.get(digest) ?? []).sort(), pushedAt: this.pushedAt.get(`${repository}@${digest}`) ?? new Date(this.clock.now()) };
    });
    return images.sort((a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || a.digest.localeCompare(b.digest));
  }

  /** Resolves an imageId to an image of the repository, or the failure code ECR reports for it. */
  private resolveImage(images: readonly LocalImage[], imageId: ImageIdentifier): LocalImage | Omit<ImageFailure, 'imageId'> {
    if (imageId.imageDigest === undefined && imageId.imageTag === undefined) {
      return { failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' };
    }
    if (imageId.imageDigest !== undefined && !isValidImageDigest(imageId.imageDigest)) {
      return { failureCode: 'InvalidImageDigest', failureReason: 'Invalid request parameters: image digest should satisfy the regex \'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+\'' };
    }
    if (imageId.imageTag !== undefined && !isValidImageTag(imageId.imageTag)) {
      return { failureCode: 'InvalidImageTag', failureReason: 'Invalid request parameters: image tag is not valid' };
    }
    const byTag = imageId.imageTag === undefined ? undefined : images.find((image) => image.tags.includes(imageId.imageTag as string));
    const byDigest = imageId.imageDigest === undefined ? undefined : images.find((image) => image.digest === imageId.imageDigest);
    if (imageId.imageTag !== undefined && imageId.imageDigest !== undefined) {
      // Tag AND digest name one image only when the tag points at the digest. ECR-GUESS: ECR documents the
      // failure code, not when it is given; a missing tag is ImageNotFound, a tag naming another image (or a
      // digest the repository lacks) ImageTagDoesNotMatchDigest. Never fall back to the digest alone: that
      // would act on an image the caller did not name by its tag.
      if (byTag === undefined) return { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
      if (byTag !== byDigest) return { failureCode: 'ImageTagDoesNotMatchDigest', failureReason: 'Invalid request parameters: given tag and digest do not match' };
    }
    const image = byTag ?? byDigest;
    return image ?? { failureCode: 'ImageNotFound', failureReason: 'Requested image not found' };
  }

  private async manifestOf(repository: string, digest: string): Promise<StoredManifest> {
    const manifest = await this.store.getManifest(repository, digest);
    if (manifest === undefined) throw new AwsServiceError('ServerException', `Manifest ${digest} of ${repository} vanished from the local registry.`, { statusCode: 500 });
    return manifest;
  }

  private async imageDetail(repository: string, image: LocalImage): Promise<Record<string, unknown>> {
    const manifest = await this.manifestOf(repository, image.digest);
    const parsed = parseJsonObject(manifest.bytes.toString('utf8')) ?? {};
    const layers = Array.isArray(parsed.layers) ? (parsed.layers as Array<{ size?: number }>) : [];
    const config = parsed.config as { mediaType?: string } | undefined;
    const scan = this.scanFindings.get(`${repository}@${image.digest}`);
    const findings = scan?.imageScanFindings;
    return {
      registryId: this.registryId,
      repositoryName: repository,
      imageDigest: image.digest,
      ...(image.tags.length > 0 ? { imageTags: image.tags } : {}),
      // ECR reports the compressed layer total; ECR-GUESS: for an index (no layers of its own) the size of the index document.
      imageSizeInBytes: INDEX_MEDIA_TYPES.has(manifest.mediaType) ? manifest.bytes.length : layers.reduce((sum, layer) => sum + (layer.size ?? 0), 0),
      imagePushedAt: image.pushedAt,
      imageManifestMediaType: manifest.mediaType,
      ...(config?.mediaType === undefined ? {} : { artifactMediaType: config.mediaType }),
      ...(scan?.imageScanStatus === undefined ? {} : { imageScanStatus: scan.imageScanStatus }),
      ...(findings === undefined
        ? {}
        : {
            imageScanFindingsSummary: {
              imageScanCompletedAt: findings.imageScanCompletedAt,
              vulnerabilitySourceUpdatedAt: findings.vulnerabilitySourceUpdatedAt,
              findingSeverityCounts: findings.findingSeverityCounts,
            },
          }),
    };
  }

  public async describeImages(input: {
    repositoryName: string;
    imageIds?: ImageIdentifier[] | undefined;
    filter?: { tagStatus?: 'TAGGED' | 'UNTAGGED' | 'ANY' | undefined } | undefined;
    maxResults?: number | undefined;
    nextToken?: string | undefined;
  }): Promise<object> {
    const state = this.repository(input.repositoryName);
    const images = await this.listLocalImages(state.repositoryName);
    if (input.imageIds !== undefined) {
      const details = [];
      for (const imageId of input.imageIds) {
        const resolved = this.resolveImage(images, imageId);
        if (!('digest' in resolved)) {
          if (resolved.failureCode === 'ImageNotFound') throw imageNotFound(imageId, state.repositoryName, this.registryId);
          throw invalidParameter(resolved.failureReason);
        }
        details.push(await this.imageDetail(state.repositoryName, resolved));
      }
      return { imageDetails: details };
    }
    const filtered = images.filter((image) => matchesTagStatus(image, input.filter?.tagStatus));
    const page = paginate(filtered, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
    const imageDetails = [];
    for (const image of page.items) imageDetails.push(await this.imageDetail(state.repositoryName, image));
    return { imageDetails, nextToken: page.nextToken };
  }

  public async listImages(input: { repositoryName: string; filter?: { tagStatus?: 'TAGGED' | 'UNTAGGED' | 'ANY' | undefined } | undefined; maxResults?: number | undefined; nextToken?: string | undefined }): Promise<object> {
    const state = this.repository(input.repositoryName);
    const images = (await this.listLocalImages(state.repositoryName)).filter((image) => matchesTagStatus(image, input.filter?.tagStatus));
    // ListImages has one entry per tag; an untagged image is listed by digest alone.
    const imageIds = images.flatMap((image) => (image.tags.length === 0 ? [{ imageDigest: image.digest }] : image.tags.map((tag) => ({ imageDigest: image.digest, imageTag: tag }))));
    const page = paginate(imageIds, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
    return { imageIds: page.items, nextToken: page.nextToken };
  }

  public async batchGetImage(input: { repositoryName: string; imageIds: ImageIdentifier[]; acceptedMediaTypes?: string[] | undefined }): Promise<object> {
    const state = this.repository(input.repositoryName);
    const images = await this.listLocalImages(state.repositoryName);
    const found: Record<string, unknown>[] = [];
    const failures: ImageFailure[] = [];
    for (const imageId of input.imageIds) {
      const resolved = this.resolveImage(images, imageId);
      if (!('digest' in resolved)) {
        failures.push({ imageId, ...resolved });
        continue;
      }
      const manifest = await this.manifestOf(state.repositoryName, resolved.digest);
      // ECR-GUESS: ECR converts Docker schema 2 to schema 1 on request; the local stack cannot and reports the image as not found instead.
      if (input.acceptedMediaTypes !== undefined && !input.acceptedMediaTypes.includes(manifest.mediaType)) {
        failures.push({ imageId, failureCode: 'ImageNotFound', failureReason: `Requested image not found in an accepted media type (${manifest.mediaType})` });
        continue;
      }
      found.push({
        registryId: this.registryId,
        repositoryName: state.repositoryName,
        imageId: { imageDigest: resolved.digest, ...(imageId.imageTag === undefined ? {} : { imageTag: imageId.imageTag }) },
        imageManifest: manifest.bytes.toString('utf8'),
        imageManifestMediaType: manifest.mediaType,
      });
    }
    return { images: found, failures };
  }

  public async putImage(input: { repositoryName: string; imageManifest: string; imageManifestMediaType?: string | undefined; imageTag?: string | undefined; imageDigest?: string | undefined }): Promise<object> {
    const state = this.repository(input.repositoryName);
    if (input.imageManifest.length > MAX_MANIFEST_CHARS) {
      throw invalidParameter(`Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must have length less than or equal to ${MAX_MANIFEST_CHARS}'`);
    }
    const parsed = parseJsonObject(input.imageManifest);
    if (parsed === undefined) throw invalidParameter("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
    const declaredType = typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
    const mediaType = input.imageManifestMediaType ?? declaredType;
    if (mediaType === undefined) {
      throw invalidParameter("Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'required when the manifest has no mediaType'");
    }
    if (declaredType !== undefined && declaredType !== mediaType) {
      // ECR-GUESS: the model only says the field is needed when the manifest has no mediaType; a contradiction is refused.
      throw invalidParameter(`Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'does not match the manifest mediaType ${declaredType}'`);
    }
    if (input.imageTag !== undefined && !isValidImageTag(input.imageTag)) {
      throw invalidParameter("Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must have length between 1 and 300 and use [A-Za-z0-9_.-]'");
    }
    const bytes = Buffer.from(input.imageManifest, 'utf8');
    const digest = sha256Digest(bytes);
    if (input.imageDigest !== undefined && input.imageDigest !== digest) {
      throw new AwsServiceError('ImageDigestDoesNotMatchException', `The digest of the image manifest (${digest}) does not match the provided digest (${input.imageDigest})`);
    }
    const images = await this.listLocalImages(state.repositoryName);
    const current = input.imageTag === undefined ? images.find((image) => image.digest === digest) : images.find((image) => image.tags.includes(input.imageTag as string));
    if (current?.digest === digest) {
      // With a tag: the tag already points here. ECR-GUESS: without a tag, an existing digest counts as "already exists" too.
      throw new AwsServiceError(
        'ImageAlreadyExistsException',
        `Image with digest '${digest}'${input.imageTag === undefined ? '' : ` and tag '${input.imageTag}'`} already exists in the repository with name '${state.repositoryName}' in registry with id '${this.registryId}'`,
      );
    }
    if (current !== undefined && input.imageTag !== undefined && isTagImmutable(state.tagMutability, input.imageTag)) {
      throw new AwsServiceError(
        'ImageTagAlreadyExistsException',
        `The image tag '${input.imageTag}' already exists in the '${state.repositoryName}' repository and cannot be overwritten because the tag is immutable.`,
      );
    }
    const result = await this.store.putManifest(state.repositoryName, input.imageTag ?? digest, bytes, mediaType);
    if (!result.ok) throw putManifestError(result.code, result.message, INDEX_MEDIA_TYPES.has(mediaType));
    this.recordImagePush(state.repositoryName, digest);
    await this.notify(this.imageActionListeners, { actionType: 'PUSH', repository: state.repositoryName, digest, ...(input.imageTag === undefined ? {} : { tag: input.imageTag }) });
    return {
      image: {
        registryId: this.registryId,
        repositoryName: state.repositoryName,
        imageId: { imageDigest: digest, ...(input.imageTag === undefined ? {} : { imageTag: input.imageTag }) },
        imageManifest: input.imageManifest,
        imageManifestMediaType: mediaType,
      },
    };
  }

  /** Digests referenced by the repository's indexes: ECR refuses to delete those images (ImageReferencedByManifestList). */
  private async digestsReferencedByIndexes(repository: string, images: readonly LocalImage[], except: string): Promise<Set<string>> {
    const referenced = new Set<string>();
    for (const image of images) {
      if (image.digest === except) continue;
      const manifest = await this.manifestOf(repository, image.digest);
      if (!INDEX_MEDIA_TYPES.has(manifest.mediaType)) continue;
      const children = parseJsonObject(manifest.bytes.toString('utf8'))?.manifests;
      if (Array.isArray(children)) for (const child of children as Array<{ digest?: string }>) if (child.digest !== undefined) referenced.add(child.digest);
    }
    return referenced;
  }

  public async batchDeleteImage(input: { repositoryName: string; imageIds: ImageIdentifier[] }): Promise<object> {
    const state = this.repository(input.repositoryName);
    const deleted: ImageIdentifier[] = [];
    const failures: ImageFailure[] = [];
    const actions: ImageAction[] = [];
    // One at a time: each deletion changes what the next imageId resolves to.
    for (const imageId of input.imageIds) {
      const images = await this.listLocalImages(state.repositoryName);
      const resolved = this.resolveImage(images, imageId);
      if (!('digest' in resolved)) {
        failures.push({ imageId, ...resolved });
        continue;
      }
      // ECR-GUESS: with tag AND digest (matching), only the tag is removed, as for the tag alone; ECR documents
      // tag-only and digest-only requests, not both (docs/tag-policy.md). The image goes with its last tag.
      const removesImage = imageId.imageTag === undefined || resolved.tags.length === 1;
      if (removesImage && (await this.digestsReferencedByIndexes(state.repositoryName, images, resolved.digest)).has(resolved.digest)) {
        failures.push({ imageId, failureCode: 'ImageReferencedByManifestList', failureReason: 'Requested image is referenced by a manifest list' });
        continue;
      }
      if (imageId.imageTag !== undefined && !removesImage) {
        await this.store.deleteTag(state.repositoryName, imageId.imageTag);
        deleted.push({ imageDigest: resolved.digest, imageTag: imageId.imageTag });
        actions.push({ actionType: 'DELETE', repository: state.repositoryName, digest: resolved.digest, tag: imageId.imageTag });
        continue;
      }
      // By digest, or the image's last tag: "When you remove the last tag from an image, the image is deleted."
      await this.store.deleteManifest(state.repositoryName, resolved.digest);
      this.scanFindings.delete(`${state.repositoryName}@${resolved.digest}`);
      deleted.push({ imageDigest: resolved.digest, ...(imageId.imageTag === undefined ? {} : { imageTag: imageId.imageTag }) });
      // ECR-GUESS: a delete by digest reports one DELETE action per tag it removed (or one untagged action).
      const removedTags = imageId.imageTag === undefined ? resolved.tags : [imageId.imageTag];
      if (removedTags.length === 0) actions.push({ actionType: 'DELETE', repository: state.repositoryName, digest: resolved.digest });
      for (const tag of removedTags) actions.push({ actionType: 'DELETE', repository: state.repositoryName, digest: resolved.digest, tag });
    }
    for (const action of actions) await this.notify(this.imageActionListeners, action);
    return { imageIds: deleted, failures };
  }

  public async describeImageScanFindings(input: { repositoryName: string; imageId: ImageIdentifier; maxResults?: number | undefined; nextToken?: string | undefined }): Promise<object> {
    const state = this.repository(input.repositoryName);
    const images = await this.listLocalImages(state.repositoryName);
    const resolved = this.resolveImage(images, input.imageId);
    if (!('digest' in resolved)) {
      if (resolved.failureCode === 'ImageNotFound') throw imageNotFound(input.imageId, state.repositoryName, this.registryId);
      throw invalidParameter(resolved.failureReason);
    }
    const recorded = this.scanFindings.get(`${state.repositoryName}@${resolved.digest}`);
    if (recorded === undefined) {
      throw new AwsServiceError(
        'ScanNotFoundException',
        `Image scan does not exist for the image with '{imageDigest:'${resolved.digest}', imageTag:'${input.imageId.imageTag ?? 'null'}'}' in the repository with name '${state.repositoryName}' in the registry with id '${this.registryId}'`,
      );
    }
    const { findings = [], enhancedFindings = [], ...summary } = recorded.imageScanFindings ?? {};
    // One page runs over basic findings first, then enhanced ones; the SDK paginator aggregates both lists.
    const combined = [...findings.map((finding) => ({ kind: 'basic' as const, finding })), ...enhancedFindings.map((finding) => ({ kind: 'enhanced' as const, finding }))];
    const page = paginate(combined, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
    const pageBasic = page.items.filter((item) => item.kind === 'basic').map((item) => item.finding);
    const pageEnhanced = page.items.filter((item) => item.kind === 'enhanced').map((item) => item.finding);
    return {
      registryId: this.registryId,
      repositoryName: state.repositoryName,
      imageId: { imageDigest: resolved.digest, ...(input.imageId.imageTag === undefined ? {} : { imageTag: input.imageId.imageTag }) },
      imageScanStatus: recorded.imageScanStatus,
      imageScanFindings: {
        ...summary,
        ...(findings.length > 0 || enhancedFindings.length === 0 ? { findings: pageBasic } : {}),
        ...(enhancedFindings.length > 0 ? { enhancedFindings: pageEnhanced } : {}),
      },
      nextToken: page.nextToken,
    };
  }

  // ---------------------------------------------------------------- layers, auth, pull-through cache

  public async batchCheckLayerAvailability(input: { repositoryName: string; layerDigests: string[] }): Promise<object> {
    const state = this.repository(input.repositoryName);
    const layers: Record<string, unknown>[] = [];
    const failures: Record<string, unknown>[] = [];
    for (const layerDigest of input.layerDigests) {
      if (!isValidImageDigest(layerDigest)) {
        failures.push({ layerDigest, failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest' });
        continue;
      }
      const blob = await this.store.headBlob(state.repositoryName, layerDigest);
      // ECR-GUESS: a layer the repository does not have is reported as a MissingLayerDigest failure, not as UNAVAILABLE.
      if (blob === undefined) failures.push({ layerDigest, failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer with the given digest' });
      else layers.push({ layerDigest, layerAvailability: 'AVAILABLE', layerSize: blob.size, mediaType: 'application/octet-stream' });
    }
    return { layers, failures };
  }

  public async getDownloadUrlForLayer(input: { repositoryName: string; layerDigest: string }, endpointUrl: string): Promise<object> {
    const state = this.repository(input.repositoryName);
    if (!isValidImageDigest(input.layerDigest)) throw invalidParameter("Invalid parameter at 'layerDigest' failed to satisfy constraint: 'Invalid layer digest'");
    if ((await this.store.headBlob(state.repositoryName, input.layerDigest)) === undefined) {
      throw new AwsServiceError('LayersNotFoundException', `The specified layer ${input.layerDigest} does not exist in the repository with name '${state.repositoryName}' in the registry with id '${this.registryId}'`);
    }
    const expiresAtMs = this.clock.now() + LAYER_URL_VALIDITY_MS;
    const url = new URL(`/_layers/${state.repositoryName}/${input.layerDigest}`, endpointUrl);
    url.searchParams.set('expires', String(expiresAtMs));
    url.searchParams.set('sig', layerSignature(this.secret, state.repositoryName, input.layerDigest, expiresAtMs));
    return { downloadUrl: url.toString(), layerDigest: input.layerDigest };
  }

  public getAuthorizationToken(): object {
    const expiresAtMs = this.clock.now() + TOKEN_VALIDITY_MS;
    const password = createRegistryPassword(this.secret, expiresAtMs);
    return {
      authorizationData: [{ authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'), expiresAt: new Date(expiresAtMs), proxyEndpoint: this.registryFrontUrl }],
    };
  }

  public describePullThroughCacheRules(input: { ecrRepositoryPrefixes?: string[] | undefined; maxResults?: number | undefined; nextToken?: string | undefined }): object {
    const rules = input.ecrRepositoryPrefixes === undefined
      ? [...this.pullThroughCacheRules]
      : input.ecrRepositoryPrefixes.map((prefix) => {
          const rule = this.pullThroughCacheRules.find((candidate) => candidate.ecrRepositoryPrefix === prefix);
          if (rule === undefined) {
            throw new AwsServiceError('PullThroughCacheRuleNotFoundException', `The pull through cache rule with prefix '${prefix}' does not exist in the registry with id '${this.registryId}'`);
          }
          return rule;
        });
    const page = paginate(rules, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
    return {
      pullThroughCacheRules: page.items.map((rule) => ({
        ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
        upstreamRegistryUrl: rule.upstreamRegistryUrl,
        createdAt: rule.createdAt ?? new Date(0),
        registryId: this.registryId,
        ...(rule.upstreamRegistry === undefined ? {} : { upstreamRegistry: rule.upstreamRegistry }),
        ...(rule.upstreamRepositoryPrefix === undefined ? {} : { upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix }),
        ...(rule.credentialArn === undefined ? {} : { credentialArn: rule.credentialArn }),
        ...(rule.customRoleArn === undefined ? {} : { customRoleArn: rule.customRoleArn }),
      })),
      nextToken: page.nextToken,
    };
  }

  private async notify<T>(listeners: ReadonlySet<Listener<T>>, event: T): Promise<void> {
    for (const listener of listeners) {
      try {
        await listener(event);
      } catch (error) {
        // A failing subscriber (e.g. the local bus) must not turn a successful ECR call into an error.
        console.error('[local ecr] listener failed:', error);
      }
    }
  }
}

function matchesTagStatus(image: LocalImage, tagStatus: 'TAGGED' | 'UNTAGGED' | 'ANY' | undefined): boolean {
  if (tagStatus === 'TAGGED') return image.tags.length > 0;
  if (tagStatus === 'UNTAGGED') return image.tags.length === 0;
  return true;
}

/** Maps Distribution's manifest PUT errors to ECR's PutImage exceptions. */
function putManifestError(code: string, message: string, isIndex: boolean): AwsServiceError {
  if (code === 'MANIFEST_BLOB_UNKNOWN' || code === 'BLOB_UNKNOWN' || code === 'MANIFEST_UNKNOWN') {
    return isIndex
      ? new AwsServiceError('ReferencedImagesNotFoundException', `Some of the images referenced by the manifest list could not be found: ${message}`)
      : new AwsServiceError('LayersNotFoundException', `Layers referenced by the image manifest could not be found: ${message}`);
  }
  return invalidParameter(`Invalid parameter at 'ImageManifest' failed to satisfy constraint: '${message}' (${code})`);
}

export { LocalEcr };
export type { ImageAction, LocalEcrOptions, PullThroughCacheRuleDeclaration, RecordedScanFindings, RepositoryCreated, RepositoryCreator, RepositoryState };
