import type { RegistryClient } from '../client/index.js';
import type { BuiltArtifact } from './build.js';

/** The client methods pushImage uses, so tests and adapters can pass anything that has them. */
type ImagePushTarget = Pick<RegistryClient, 'headBlob' | 'uploadBlob' | 'putManifest'>;

/**
 * Pushes a built image or index in the order registries require: blobs (skipping ones already there),
 * then child manifests by digest, then the manifest under `tag`. Returns the manifest digest.
 */
async function pushImage(client: ImagePushTarget, repository: string, tag: string, image: BuiltArtifact): Promise<string> {
  for (const [digest, bytes] of image.blobs) {
    if ((await client.headBlob(repository, digest)) === null) await client.uploadBlob(repository, digest, bytes, bytes.length);
  }
  if (image.kind === 'index') {
    for (const child of image.children) await client.putManifest(repository, child.manifestDigest, child.manifest, child.mediaType);
  }
  return client.putManifest(repository, tag, image.manifest, image.mediaType);
}

export { pushImage };
export type { ImagePushTarget };
