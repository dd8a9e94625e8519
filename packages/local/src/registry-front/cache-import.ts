import type { RegistryClient } from '@dockmaster/registry/client';
import { isImageIndex, manifestReferences } from '@dockmaster/registry/manifest';

interface RepositoryAt {
  client: RegistryClient;
  repository: string;
}

/**
 * Copies one manifest (an index with every child, as ECR caches "the list and every child manifest")
 * and the blobs it needs from the cache instance into the private registry. Blobs are streamed, never
 * held whole. Returns the manifest digests copied, children first.
 */
async function copyManifest(from: RepositoryAt, to: RepositoryAt, digest: string): Promise<{ copied: string[]; bytes: Uint8Array; mediaType: string }> {
  const manifest = await from.client.getManifest(from.repository, digest);
  const copied: string[] = [];
  if (isImageIndex(manifest.manifest)) {
    for (const child of manifest.manifest.manifests) copied.push(...(await copyManifest(from, to, child.digest)).copied);
  } else {
    for (const blob of manifestReferences(manifest.manifest)) {
      if ((await to.client.headBlob(to.repository, blob.digest)) !== null) continue;
      const stream = await from.client.openBlob(from.repository, blob.digest, { expectedSize: blob.size });
      await to.client.uploadBlob(to.repository, blob.digest, stream, blob.size);
    }
  }
  await to.client.putManifest(to.repository, digest, manifest.bytes, manifest.mediaType);
  copied.push(digest);
  return { copied, bytes: manifest.bytes, mediaType: manifest.mediaType };
}

/**
 * Records an image the cache instance served by tag in the private registry under its ECR name
 * (`k8s/pause`), so the local ECR control plane, which reads that registry, lists cached images like
 * any other (DescribeImages, BatchGetImage, lifecycle). Pulling the blobs through the cache instance
 * also makes it store them, as ECR's first pull imports the whole image.
 */
async function importCachedImage(from: RepositoryAt, to: RepositoryAt, tag: string, digest: string): Promise<string[]> {
  const { copied, bytes, mediaType } = await copyManifest(from, to, digest);
  await to.client.putManifest(to.repository, tag, bytes, mediaType);
  return copied;
}

export { importCachedImage };
export type { RepositoryAt };
