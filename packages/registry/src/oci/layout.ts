import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { digestHex, MediaType } from '../manifest/index.js';
import type { BuiltArtifact } from './build.js';

const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

function artifactFiles(artifact: BuiltArtifact): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>(artifact.blobs);
  files.set(artifact.manifestDigest, artifact.manifest);
  if (artifact.kind === 'index') for (const child of artifact.children) files.set(child.manifestDigest, child.manifest);
  return files;
}

/**
 * Writes an OCI image layout (oci-layout, index.json, blobs/sha256/...) with one entry per ref, so that
 * `skopeo copy --all oci:<dir>:<ref> docker://...` can push it. Replaces any index.json already in `dir`.
 */
async function writeOciLayout(dir: string, refs: Record<string, BuiltArtifact>): Promise<void> {
  const blobDir = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  const files = new Map<string, Uint8Array>();
  for (const artifact of Object.values(refs)) for (const [digest, bytes] of artifactFiles(artifact)) files.set(digest, bytes);
  await Promise.all([...files].map(([digest, bytes]) => writeFile(path.join(blobDir, digestHex(digest)), bytes)));

  const index = {
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: Object.entries(refs).map(([refName, artifact]) => ({
      mediaType: artifact.mediaType,
      digest: artifact.manifestDigest,
      size: artifact.manifest.length,
      annotations: { [REF_NAME_ANNOTATION]: refName },
    })),
  };
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
}

export { writeOciLayout };
