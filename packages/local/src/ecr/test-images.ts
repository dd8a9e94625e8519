import { RegistryClient } from '@dockmaster/registry/client';
import { buildImage, buildIndex, pushImage } from '@dockmaster/registry/oci';
import type { BuiltImage } from '@dockmaster/registry/oci';

/**
 * Test support: pushes small, deterministic OCI images (built by @dockmaster/registry/oci) straight
 * into a Distribution registry, the way a `docker push` lands in the local ECR's storage.
 */

interface PushedImage {
  digest: string;
  mediaType: string;
  /** The manifest exactly as stored (what BatchGetImage returns). */
  manifest: string;
  layerDigests: string[];
  /** Compressed layer sizes, what ECR sums into imageSizeInBytes. */
  layerSizes: number[];
  built: BuiltImage | undefined;
}

const decoder = new TextDecoder();

/** Pushes a single-platform OCI image whose content is derived from `seed`, under `tag` (or by digest only when no tag). */
async function pushTestImage(registryUrl: string, repository: string, options: { seed: string; tag?: string }): Promise<PushedImage> {
  const image = buildImage({ layers: [{ seed: options.seed, size: 512 }], labels: { seed: options.seed } });
  await pushImage(new RegistryClient({ baseUrl: registryUrl }), repository, options.tag ?? image.manifestDigest, image);
  const layerDigests = [...image.blobs.keys()].filter((digest) => digest !== image.configDigest);
  return {
    digest: image.manifestDigest,
    mediaType: image.mediaType,
    manifest: decoder.decode(image.manifest),
    layerDigests,
    layerSizes: layerDigests.map((digest) => image.blobs.get(digest)?.length ?? 0),
    built: image,
  };
}

/** Pushes an OCI index over already-pushed child images. */
async function pushTestIndex(registryUrl: string, repository: string, children: readonly PushedImage[], tag: string): Promise<PushedImage> {
  const index = buildIndex(children.flatMap((child) => (child.built === undefined ? [] : [child.built])));
  await pushImage(new RegistryClient({ baseUrl: registryUrl }), repository, tag, index);
  return { digest: index.manifestDigest, mediaType: index.mediaType, manifest: decoder.decode(index.manifest), layerDigests: [], layerSizes: [], built: undefined };
}

export { pushTestImage, pushTestIndex };
export type { PushedImage };
