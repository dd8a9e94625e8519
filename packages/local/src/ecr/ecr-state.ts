import type { CreationTemplateInput } from '@dockmaster/core/cache-repository';
import type { EcrActionType, EcrImageStatus, EcrStorageClass } from '@dockmaster/core/events/vocabulary';
import { isRecord, parseJsonOrUndefined } from '@dockmaster/core/shared';
import type { Clock } from '../aws-endpoint/clock.js';
import type { DistributionStore } from './distribution-store.js';
import { repositoryNotFound } from './ecr-errors.js';
import type { TagMutabilitySettings } from './tag-mutability.js';

/**
 * The state the local ECR's resource modules share (repositories.ts, images.ts, ...). One object made by
 * LocalEcr and passed to each operation, so every module names what it reads instead of reaching into a class.
 */

/** Who created a repository: an API call, ECR for a pull-through cache, or ECR on a push a CREATE_ON_PUSH template covers. */
type RepositoryCreator = 'api' | 'pull-through-cache' | 'create-on-push';

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
  actionType: EcrActionType;
  repository: string;
  digest: string;
  tag?: string;
  /** UPDATE_STORAGE_CLASS only: where the image went, and the media types ECR's archive event carries. */
  targetStorageClass?: EcrStorageClass;
  manifestMediaType?: string;
  artifactMediaType?: string;
  /** A restore: when the image became active again (`last-activated-at`). */
  lastActivatedAt?: Date;
}

/** An image's storage class as DescribeImages reports it (storage-class.ts); no record: ACTIVE, never archived. */
interface ImageStorage {
  status: EcrImageStatus;
  lastArchivedAt?: Date;
  lastActivatedAt?: Date;
}

interface RepositoryCreated {
  repository: string;
  createdBy: RepositoryCreator;
}

interface ImageIdentifier {
  imageDigest?: string | undefined;
  imageTag?: string | undefined;
}

type Listener<T> = (event: T) => void | Promise<void>;

/** Wire shape of a recorded DescribeImageScanFindings answer (dates as Date, ISO string or epoch seconds). */
type RecordedScanFindings = Record<string, unknown> & {
  imageScanStatus?: unknown;
  imageScanFindings?: Record<string, unknown> & { findings?: unknown[]; enhancedFindings?: unknown[] };
};

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

interface EcrState {
  readonly registryId: string;
  readonly region: string;
  /** URL of the registry front: GetAuthorizationToken's proxyEndpoint. */
  readonly registryFrontUrl: string;
  /** Host of every repositoryUri. */
  readonly registryHost: string;
  /** The Distribution registry holding the images. */
  readonly store: DistributionStore;
  readonly clock: Clock;
  /** Signs registry tokens and layer URLs. */
  readonly secret: string;
  readonly repositories: Map<string, RepositoryState>;
  /** Keyed by imageKey(repository, digest). */
  readonly pushedAt: Map<string, Date>;
  /** Keyed by imageKey(repository, digest). */
  readonly scanFindings: Map<string, RecordedScanFindings>;
  /** Keyed by imageKey(repository, digest): images archived at least once. */
  readonly storage: Map<string, ImageStorage>;
  readonly pullThroughCacheRules: readonly PullThroughCacheRuleDeclaration[];
  /** Repository creation templates, as core renders them for infra (repository-creation-templates.ts). */
  readonly repositoryCreationTemplates: readonly CreationTemplateInput[];
  readonly imageActionListeners: Set<Listener<ImageAction>>;
  readonly repositoryCreatedListeners: Set<Listener<RepositoryCreated>>;
}

/** Key of the per-image maps (push times, scan findings). */
function imageKey(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}

/** The repository's state, or ECR's RepositoryNotFoundException. */
function requireRepository(state: Pick<EcrState, 'repositories' | 'registryId'>, name: string): RepositoryState {
  const repository = state.repositories.get(name);
  if (repository === undefined) throw repositoryNotFound(name, state.registryId);
  return repository;
}

async function notify<T>(listeners: ReadonlySet<Listener<T>>, event: T): Promise<void> {
  for (const listener of listeners) {
    try {
      await listener(event);
    } catch (error) {
      // A failing subscriber (e.g. the local bus) must not turn a successful ECR call into an error.
      console.error('[local ecr] listener failed:', error);
    }
  }
}

/** The text as a JSON object (policies, manifests), undefined when it is not JSON or not an object. */
function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const parsed = parseJsonOrUndefined(text);
  return isRecord(parsed) ? parsed : undefined;
}

export { imageKey, notify, parseJsonObject, requireRepository };
export type { EcrState, ImageAction, ImageIdentifier, ImageStorage, Listener, PullThroughCacheRuleDeclaration, RecordedScanFindings, RepositoryCreated, RepositoryCreator, RepositoryState };
