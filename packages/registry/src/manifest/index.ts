export { digestHex, digestOf, hasherFor, isDigest, sha256Digest } from './digest.js';
export {
  bareMediaType,
  IMAGE_MANIFEST_MEDIA_TYPES,
  INDEX_MEDIA_TYPES,
  isImageManifestMediaType,
  isIndexMediaType,
  MANIFEST_ACCEPT,
  MediaType,
} from './media-types.js';
export { formatPlatform, parsePlatform, platformMatches, selectPlatformManifests } from './platform.js';
export type { PlatformFilter } from './platform.js';
export { manifestReferences } from './references.js';
export {
  AnnotationsSchema,
  DescriptorSchema,
  DigestSchema,
  ImageIndexSchema,
  ImageManifestSchema,
  isImageIndex,
  parseManifestDocument,
  PlatformSchema,
} from './schema.js';
export type { Descriptor, ImageIndex, ImageManifest, ManifestDocument, Platform } from './schema.js';
