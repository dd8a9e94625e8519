import { isImageIndex } from './schema.js';
import type { Descriptor, ManifestDocument } from './schema.js';

/**
 * What a manifest points at: config then layers for an image (the blobs to fetch), child manifests for an index.
 * Descriptors rather than bare digests so callers can verify sizes.
 */
function manifestReferences(manifest: ManifestDocument): Descriptor[] {
  return isImageIndex(manifest) ? [...manifest.manifests] : [manifest.config, ...manifest.layers];
}

export { manifestReferences };
