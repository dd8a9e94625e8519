import { randomBytes } from 'node:crypto';
import type { CreationTemplateInput } from '@dockmaster/core/cache-repository';
import { systemClock } from '../aws-endpoint/clock.js';
import type { Clock } from '../aws-endpoint/clock.js';
import { getAuthorizationToken, verifyAuthorizationToken } from './authorization.js';
import { DistributionStore } from './distribution-store.js';
import type { DistributionLocation } from './distribution-store.js';
import { EcrFaults } from './ecr-faults.js';
import { requireRepository } from './ecr-state.js';
import type { EcrState, ImageAction, ImageIdentifier, Listener, PullThroughCacheRuleDeclaration, RecordedScanFindings, RepositoryCreated, RepositoryCreator, RepositoryState } from './ecr-state.js';
import { recordImagePush } from './image-index.js';
import { batchDeleteImage, putImage } from './image-writes.js';
import { batchGetImage, describeImages, listImages } from './images.js';
import { batchCheckLayerAvailability, downloadLayer, getDownloadUrlForLayer } from './layers.js';
import { deleteLifecyclePolicy, getLifecyclePolicy, putLifecyclePolicy } from './lifecycle-policy.js';
import { describePullThroughCacheRules } from './pull-through-cache-rules.js';
import { createRepository, createRepositoryInternal, deleteRepository, describeRepositories, putImageScanningConfiguration, putImageTagMutability } from './repositories.js';
import { createRepositoryOnPush } from './repository-creation-templates.js';
import { deleteRepositoryPolicy, getRepositoryPolicy, setRepositoryPolicy } from './repository-policy.js';
import { recordScanFindings, describeImageScanFindings } from './scan-findings.js';
import { archive, restoreOnPush, unpullableDigests, updateImageStorageClass } from './storage-class.js';
import { isTagImmutable } from './tag-mutability.js';
import type { TagMutabilitySettings } from './tag-mutability.js';

interface LocalEcrOptions {
  /** The Distribution registry holding the images (its filesystem storage is needed for tags and untagged images). */
  distribution: DistributionLocation;
  /** URL of the registry front docker/skopeo talk to: GetAuthorizationToken's proxyEndpoint, host of every repositoryUri. */
  registryFrontUrl: string;
  accountId?: string;
  region?: string;
  pullThroughCacheRules?: readonly PullThroughCacheRuleDeclaration[];
  /** Repository creation templates (core's renderCreationTemplates): CREATE_ON_PUSH ones create repositories on a push. */
  repositoryCreationTemplates?: readonly CreationTemplateInput[];
  clock?: Clock;
  /** Signs registry tokens and layer URLs; random per instance unless given. */
  secret?: string;
}

type Input<Operation extends (state: EcrState, input: never, ...rest: never[]) => unknown> = Parameters<Operation>[1];

/**
 * The local ECR: repository state in memory, images in a real Distribution registry. A facade over one module
 * per ECR resource (repositories, repository-policy, lifecycle-policy, images, image-writes, scan-findings,
 * layers, authorization, pull-through-cache-rules), all sharing one EcrState.
 * Operation methods take already-validated inputs and answer in the ECR API's JSON shapes.
 */
class LocalEcr {
  public readonly registryId: string;
  public readonly region: string;
  public readonly registryFrontUrl: string;
  /** The Distribution registry behind this ECR: benchmarks seed images there without the front's push events. */
  public readonly distributionUrl: string;
  /** Faults to inject into this ECR's API (the AWS endpoint) and registry (the registry front): `ecr.faults.inject({...})`. */
  public readonly faults = new EcrFaults();
  private readonly state: EcrState;

  public constructor(options: LocalEcrOptions) {
    this.registryId = options.accountId ?? '000000000000';
    this.region = options.region ?? 'eu-central-1';
    this.registryFrontUrl = options.registryFrontUrl.replace(/\/+$/, '');
    this.distributionUrl = options.distribution.url;
    this.state = {
      registryId: this.registryId,
      region: this.region,
      registryFrontUrl: this.registryFrontUrl,
      registryHost: new URL(this.registryFrontUrl).host,
      store: new DistributionStore(options.distribution),
      clock: options.clock ?? systemClock,
      secret: options.secret ?? randomBytes(32).toString('hex'),
      repositories: new Map(),
      pushedAt: new Map(),
      scanFindings: new Map(),
      storage: new Map(),
      pullThroughCacheRules: options.pullThroughCacheRules ?? [],
      repositoryCreationTemplates: options.repositoryCreationTemplates ?? [],
      imageActionListeners: new Set(),
      repositoryCreatedListeners: new Set(),
    };
  }

  // ---------------------------------------------------------------- programmatic API for the local stack

  /** Subscribes to image pushes/deletions made through the API (PutImage, BatchDeleteImage); returns an unsubscribe function. */
  public onImageAction(listener: Listener<ImageAction>): () => void {
    this.state.imageActionListeners.add(listener);
    return () => this.state.imageActionListeners.delete(listener);
  }

  /** Subscribes to repository creation (API or pull-through cache), for the CloudTrail-shaped events. */
  public onRepositoryCreated(listener: Listener<RepositoryCreated>): () => void {
    this.state.repositoryCreatedListeners.add(listener);
    return () => this.state.repositoryCreatedListeners.delete(listener);
  }

  public repositoryExists(name: string): boolean {
    return this.state.repositories.has(name);
  }

  /** Creates a repository the way ECR itself does (e.g. on a first pull through a cache rule): default settings unless given. */
  public createRepositoryInternal(name: string, options: { createdBy: RepositoryCreator; imageTagMutability?: TagMutabilitySettings; scanOnPush?: boolean }): Promise<RepositoryState> {
    return createRepositoryInternal(this.state, name, options);
  }

  /**
   * A push reached `name`, which does not exist: creates it from the CREATE_ON_PUSH template that covers it, as
   * ECR does. False when no template covers the name (or it exists by now); true when it was created here.
   */
  public async createRepositoryOnPush(name: string): Promise<boolean> {
    if (this.state.repositories.has(name)) return false;
    return (await createRepositoryOnPush(this.state, name)) !== undefined;
  }

  /** True when a push over the existing `tag` in `repository` would be refused (repository unknown: false). */
  public isTagImmutable(repository: string, tag: string): boolean {
    const state = this.state.repositories.get(repository);
    return state !== undefined && isTagImmutable(state.tagMutability, tag);
  }

  /** Stores a scan result for DescribeImageScanFindings/DescribeImages; `findings` is a DescribeImageScanFindings response body. */
  public recordScanFindings(repository: string, digest: string, findings: RecordedScanFindings): void {
    recordScanFindings(this.state, repository, digest, findings);
  }

  /** Records when an image arrived (the registry front calls it for docker pushes); the first record wins. */
  public recordImagePush(repository: string, digest: string, at?: Date): void {
    recordImagePush(this.state, repository, digest, at);
  }

  /**
   * Archives an image as a lifecycle `transition` rule would (ECR's own action, no API call): the image
   * stays listed with status ARCHIVED, pulls answer 404, an `ECR Image Action` UPDATE_STORAGE_CLASS is emitted.
   */
  public async archiveImage(repository: string, digest: string): Promise<void> {
    requireRepository(this.state, repository);
    await archive(this.state, repository, digest);
  }

  /** Digests of the repository that cannot be pulled now (archived or being restored): the registry answers 404. */
  public unpullableDigests(repository: string): ReadonlySet<string> {
    return unpullableDigests(this.state, repository);
  }

  /** A push of an archived image restores it, as in ECR (the registry front calls it after a manifest push). */
  public restoreOnPush(repository: string, digest: string): Promise<void> {
    return restoreOnPush(this.state, repository, digest);
  }

  /** Checks a registry `Authorization` header against the tokens GetAuthorizationToken issued. */
  public verifyAuthorizationToken(header: string | undefined): boolean {
    return verifyAuthorizationToken(this.state, header);
  }

  /** Serves a GetDownloadUrlForLayer URL: `<repository>/<digest>?expires=&sig=`, no auth header needed. */
  public downloadLayer(path: string, query: URLSearchParams): Promise<Response> {
    return downloadLayer(this.state, path, query);
  }

  // ---------------------------------------------------------------- ECR API operations (ecr-operations.ts dispatches here)

  public createRepository(input: Input<typeof createRepository>): Promise<object> {
    return createRepository(this.state, input);
  }

  public describeRepositories(input: Input<typeof describeRepositories>): object {
    return describeRepositories(this.state, input);
  }

  public deleteRepository(input: Input<typeof deleteRepository>): Promise<object> {
    return deleteRepository(this.state, input);
  }

  public putImageScanningConfiguration(input: Input<typeof putImageScanningConfiguration>): object {
    return putImageScanningConfiguration(this.state, input);
  }

  public putImageTagMutability(input: Input<typeof putImageTagMutability>): object {
    return putImageTagMutability(this.state, input);
  }

  public setRepositoryPolicy(input: Input<typeof setRepositoryPolicy>): object {
    return setRepositoryPolicy(this.state, input);
  }

  public getRepositoryPolicy(input: Input<typeof getRepositoryPolicy>): object {
    return getRepositoryPolicy(this.state, input);
  }

  public deleteRepositoryPolicy(input: Input<typeof deleteRepositoryPolicy>): object {
    return deleteRepositoryPolicy(this.state, input);
  }

  public putLifecyclePolicy(input: Input<typeof putLifecyclePolicy>): object {
    return putLifecyclePolicy(this.state, input);
  }

  public getLifecyclePolicy(input: Input<typeof getLifecyclePolicy>): object {
    return getLifecyclePolicy(this.state, input);
  }

  public deleteLifecyclePolicy(input: Input<typeof deleteLifecyclePolicy>): object {
    return deleteLifecyclePolicy(this.state, input);
  }

  public describeImages(input: Input<typeof describeImages>): Promise<object> {
    return describeImages(this.state, input);
  }

  public listImages(input: Input<typeof listImages>): Promise<object> {
    return listImages(this.state, input);
  }

  public batchGetImage(input: Input<typeof batchGetImage>): Promise<object> {
    return batchGetImage(this.state, input);
  }

  public putImage(input: Input<typeof putImage>): Promise<object> {
    return putImage(this.state, input);
  }

  public batchDeleteImage(input: Input<typeof batchDeleteImage>): Promise<object> {
    return batchDeleteImage(this.state, input);
  }

  public updateImageStorageClass(input: Input<typeof updateImageStorageClass>): Promise<object> {
    return updateImageStorageClass(this.state, input);
  }

  public describeImageScanFindings(input: Input<typeof describeImageScanFindings>): Promise<object> {
    return describeImageScanFindings(this.state, input);
  }

  public batchCheckLayerAvailability(input: Input<typeof batchCheckLayerAvailability>): Promise<object> {
    return batchCheckLayerAvailability(this.state, input);
  }

  public getDownloadUrlForLayer(input: Input<typeof getDownloadUrlForLayer>, endpointUrl: string): Promise<object> {
    return getDownloadUrlForLayer(this.state, input, endpointUrl);
  }

  public getAuthorizationToken(): object {
    return getAuthorizationToken(this.state);
  }

  public describePullThroughCacheRules(input: Input<typeof describePullThroughCacheRules>): object {
    return describePullThroughCacheRules(this.state, input);
  }
}

export { LocalEcr };
export type { ImageAction, ImageIdentifier, LocalEcrOptions, PullThroughCacheRuleDeclaration, RecordedScanFindings, RepositoryCreated, RepositoryCreator, RepositoryState };
