import type { Descriptor, ManifestDocument } from '../manifest/schema.js';
import { isDigest } from '../manifest/digest.js';
import { isRecord } from './responses.js';

/**
 * How much of a manifest the client validates:
 * - `full` (default): the zod schemas of the manifest module, loaded on first use;
 * - `references`: only what a copy reads, checked by hand: `schemaVersion` 2 and well-formed descriptors
 *   (media type, digest, size) in `manifests`, or in `config` and `layers`. For callers that pass the exact
 *   bytes on to a registry, which validates the whole manifest on PUT (Distribution and ECR reject an invalid
 *   one with MANIFEST_INVALID), so checking everything here too would only cost time: loading zod is about a
 *   fifth of a no-op `dockmaster sync`.
 */
type ManifestValidation = 'full' | 'references';

function isDescriptor(value: unknown): value is Descriptor {
  return (
    isRecord(value) &&
    typeof value.mediaType === 'string' &&
    typeof value.digest === 'string' &&
    isDigest(value.digest) &&
    typeof value.size === 'number' &&
    Number.isSafeInteger(value.size) &&
    value.size >= 0 &&
    (value.urls === undefined || (Array.isArray(value.urls) && value.urls.every((url) => typeof url === 'string')))
  );
}

/** The light check of `references` mode: the document if its references are readable, else why not. */
function checkManifestReferences(json: unknown): { manifest: ManifestDocument } | { problem: string } {
  if (!isRecord(json)) return { problem: 'not a JSON object' };
  if (json.schemaVersion !== 2) return { problem: `schemaVersion is ${JSON.stringify(json.schemaVersion)}, expected 2` };
  if ('manifests' in json) {
    const { manifests } = json;
    if (!Array.isArray(manifests)) return { problem: 'manifests is not an array' };
    const bad = manifests.findIndex((entry) => !isDescriptor(entry));
    return bad === -1 ? { manifest: json as ManifestDocument } : { problem: `manifests[${bad}] is not a descriptor (mediaType, digest, size)` };
  }
  if (!isDescriptor(json.config)) return { problem: 'config is not a descriptor (mediaType, digest, size)' };
  const { layers } = json;
  if (!Array.isArray(layers)) return { problem: 'layers is not an array' };
  const bad = layers.findIndex((entry) => !isDescriptor(entry));
  return bad === -1 ? { manifest: json as ManifestDocument } : { problem: `layers[${bad}] is not a descriptor (mediaType, digest, size)` };
}

export { checkManifestReferences };
export type { ManifestValidation };
