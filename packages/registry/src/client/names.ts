import { isDigest } from '../manifest/digest.js';
import { RegistryError, RegistryErrorCode } from './errors.js';

/** OCI distribution-spec grammar for repository names and tags. */
const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

function assertRepository(repository: string, url: string): void {
  if (!REPOSITORY_PATTERN.test(repository)) {
    throw new RegistryError({
      message: `"${repository}" is not a valid repository name: use lower-case letters, digits and . _ - separated by /, e.g. team/app`,
      code: RegistryErrorCode.NameInvalid,
      request: { method: 'NONE', url },
    });
  }
}

function assertReference(reference: string, url: string): void {
  if (!TAG_PATTERN.test(reference) && !isDigest(reference)) {
    throw new RegistryError({
      message: `"${reference}" is neither a tag (letters, digits, . _ -, up to 128) nor a digest (sha256:<64 hex>)`,
      code: RegistryErrorCode.TagInvalid,
      request: { method: 'NONE', url },
    });
  }
}

export { assertReference, assertRepository };
