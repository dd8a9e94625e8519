/** ECR's input constraints (botocore ECR model): repository names, tags, digests. Pure. */

/** Model pattern for RepositoryName, 2..256 characters. */
const REPOSITORY_NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPOSITORY_NAME_MIN = 2;
const REPOSITORY_NAME_MAX = 256;
/** Model: ImageTag 1..300 characters. */
const IMAGE_TAG_MAX = 300;
// ECR-GUESS: the model gives only the length; we also require Docker's tag alphabet, since Distribution refuses anything else.
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const IMAGE_DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

function repositoryNameProblem(name: string): string | undefined {
  if (name.length < REPOSITORY_NAME_MIN || name.length > REPOSITORY_NAME_MAX) {
    return `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must have length between ${REPOSITORY_NAME_MIN} and ${REPOSITORY_NAME_MAX}'`;
  }
  if (!REPOSITORY_NAME_PATTERN.test(name)) {
    return `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME_PATTERN.source.slice(1, -1)}''`;
  }
  return undefined;
}

function isValidImageTag(tag: string): boolean {
  return tag.length >= 1 && tag.length <= IMAGE_TAG_MAX && IMAGE_TAG_PATTERN.test(tag);
}

function isValidImageDigest(digest: string): boolean {
  return IMAGE_DIGEST_PATTERN.test(digest);
}

export { isValidImageDigest, isValidImageTag, repositoryNameProblem };
