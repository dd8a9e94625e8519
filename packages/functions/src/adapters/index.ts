export { createEcrImages, EcrImageError, ImageGoneError } from './ecr-images.js';
export type { EcrImages, EcrImagesOptions, RemoveTagResult } from './ecr-images.js';
export { ACCEPTED_MEDIA_TYPES, MediaType } from './oci-manifest.js';
export { BlobReadError, readBlob } from './read-blob.js';
