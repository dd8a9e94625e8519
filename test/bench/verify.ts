import { RegistryClient } from '@dockmaster/registry';
import type { Dataset } from './dataset.js';

/**
 * Checks the target holds the data set exactly: every tag at the expected digest, every index child by
 * digest, and every blob in every repository that references it. Throws with the first few differences.
 */
async function verifyTarget(targetUrl: string, dataset: Dataset): Promise<{ tags: number; blobReferences: number }> {
  const client = new RegistryClient({ baseUrl: targetUrl });
  const problems: string[] = [];
  let blobReferences = 0;
  await Promise.all(
    dataset.images.map(async ({ repository, tag, artifact }) => {
      const head = await client.headManifest(repository, tag);
      if (head?.digest !== artifact.manifestDigest) problems.push(`${repository}:${tag} is ${head?.digest ?? 'missing'}, expected ${artifact.manifestDigest}`);
      const children = artifact.kind === 'index' ? artifact.children.map((child) => child.manifestDigest) : [];
      for (const child of children) {
        if ((await client.headManifest(repository, child)) === null) problems.push(`${repository}@${child} (index child) is missing`);
      }
      for (const digest of artifact.blobs.keys()) {
        blobReferences += 1;
        if ((await client.headBlob(repository, digest)) === null) problems.push(`${repository} lacks blob ${digest}`);
      }
    }),
  );
  if (problems.length > 0) throw new Error(`target ${targetUrl} does not match the source:\n  ${problems.slice(0, 10).join('\n  ')}`);
  return { tags: dataset.images.length, blobReferences };
}

export { verifyTarget };
