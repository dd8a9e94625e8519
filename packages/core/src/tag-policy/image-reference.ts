import { UserFacingError } from '../errors.js';
import { TAG_PATTERN } from './tag-schemes.js';

type ImageReference = { repository: string; tag: string };

// ECR's repository name grammar (API model, 2-256 characters): lowercase components separated by '/'.
const REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

const invalid = (ref: string, problem: string): UserFacingError =>
  new UserFacingError('InvalidReference', `"${ref}" is not a valid image reference: ${problem}. Write it as <repository>:<tag>, for example prod/api:1.4.2`);

/**
 * Parses `<repository>:<tag>` as typed on the command line. Hand-written rather than a generic reference parser
 * because only this one shape is meaningful here: a digest has no tag to judge, and a registry host would silently
 * name a repository in another registry than the configured one.
 */
const parseImageReference = (ref: string): ImageReference => {
  if (ref.includes('@')) throw invalid(ref, 'it names a digest (@sha256:...), which has no tag to check');
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  if (colon === -1) throw invalid(ref, 'the tag is missing');
  const repository = ref.slice(0, colon);
  const tag = ref.slice(colon + 1);
  const firstSegment = repository.split('/')[0] ?? '';
  if (repository.includes(':') || (repository.includes('/') && /\.amazonaws\.com$|^localhost$/.test(firstSegment))) {
    throw invalid(ref, `it starts with a registry host ("${firstSegment}"); leave the registry out, the configured one is used`);
  }
  if (repository.length < 2 || repository.length > 256 || !REPOSITORY_PATTERN.test(repository)) {
    throw invalid(ref, `repository "${repository}" must be 2-256 lowercase letters, digits and . _ - separated by /`);
  }
  if (!TAG_PATTERN.test(tag)) {
    throw invalid(ref, `tag "${tag}" must be 1-128 characters: letters, digits, _ . - (not starting with . or -)`);
  }
  return { repository, tag };
};

export { parseImageReference };
export type { ImageReference };
