export { createEcrImages, EcrImageError, ImageGoneError } from './ecr-images.js';
export type { EcrImages, EcrImagesOptions, RemoveTagResult } from './ecr-images.js';
export { ACCEPTED_MEDIA_TYPES, MediaType } from './oci-manifest.js';
export { BlobReadError, readBlob } from './read-blob.js';
export { createEcrRepositoryCreator } from './ecr-repository-creator.js';
export type { EcrRepositoryCreatorOptions, RepositoryCreator } from './ecr-repository-creator.js';
export { createSecretReader, SECRET_MAX_AGE_SECONDS } from './secrets.js';
export type { SecretReader, SecretReaderOptions } from './secrets.js';
