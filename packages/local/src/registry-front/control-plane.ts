/**
 * What the registry front needs from the local ECR control plane. `LocalEcr` (../ecr) has all of it;
 * the interface keeps the front testable and says exactly which calls it makes.
 */
interface EcrControlPlane {
  repositoryExists(name: string): boolean;
  /** Creates a repository the way ECR does on a first pull through a cache rule. */
  createRepositoryInternal(name: string, options: { createdBy: 'pull-through-cache' }): Promise<unknown>;
  /**
   * A push reached a repository that does not exist: creates it when a CREATE_ON_PUSH creation template covers
   * the name (true), as ECR does; false otherwise. Optional: a front without templates never creates on push.
   */
  createRepositoryOnPush?(name: string): Promise<boolean>;
  /** True when pushing over an existing `tag` of `repository` must be refused. */
  isTagImmutable(repository: string, tag: string): boolean;
  /** Checks an `Authorization` header against the tokens GetAuthorizationToken issued. */
  verifyAuthorizationToken(header: string | undefined): boolean;
  /** Records when an image arrived (imagePushedAt); optional because the control plane can infer it. */
  recordImagePush?(repository: string, digest: string, at?: Date): void;
  /** Digests that cannot be pulled now (archived, or being restored): their manifests answer 404. */
  unpullableDigests?(repository: string): ReadonlySet<string>;
  /** A push of an archived image restores it. */
  restoreOnPush?(repository: string, digest: string): Promise<void>;
}

export type { EcrControlPlane };
