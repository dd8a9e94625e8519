import { buildImage, buildIndex, pushImage, RegistryClient } from '@dockmaster/registry';
import type { BuiltArtifact, BuiltImage, LayerSpec } from '@dockmaster/registry';

/*
 * The data set of the local-registry notes (section 6), rebuilt deterministically with buildImage:
 * 10 repositories perf/svc-01..10 x 3 tags = 30 images; svc-01 and svc-05 are amd64+arm64 indexes.
 * Each platform image has a shared base (1.5-4 MB), a shared runtime (3-5 MB), a per-repository deps
 * layer (1 MB) and a per-tag app layer (0.5-1.5 MB): 96 unique blobs, about 89 MB unique, 310 MB logical.
 */

const MB = 1_000_000;
const REPOSITORY_COUNT = 10;
const TAGS = ['v1.0.0', 'v1.1.0', 'v1.2.0'] as const;
const MULTI_PLATFORM = new Set([1, 5]);
const APP_SIZES = [0.5 * MB, 1.0 * MB, 1.5 * MB] as const;

const AMD64_BASES: readonly LayerSpec[] = [1.5, 2.5, 3.2, 4.0].map((size, at) => ({ seed: `perf-base-amd64-${at}`, size: size * MB }));
const AMD64_RUNTIMES: readonly LayerSpec[] = [3.0, 3.5, 4.0, 4.5].map((size, at) => ({ seed: `perf-runtime-amd64-${at}`, size: size * MB }));
const ARM64_BASES: readonly LayerSpec[] = [1.5, 2.5].map((size, at) => ({ seed: `perf-base-arm64-${at}`, size: size * MB }));
const ARM64_RUNTIMES: readonly LayerSpec[] = [3.0, 5.0].map((size, at) => ({ seed: `perf-runtime-arm64-${at}`, size: size * MB }));

interface DatasetImage {
  repository: string;
  tag: string;
  artifact: BuiltArtifact;
}

interface Dataset {
  repositories: string[];
  images: DatasetImage[];
  uniqueBlobs: number;
  uniqueBytes: number;
  logicalBytes: number;
}

function pick<T>(items: readonly T[], at: number): T {
  const item = items[at % items.length];
  if (item === undefined) throw new Error('empty layer list');
  return item;
}

function platformImage(repository: string, tag: string, tagIndex: number, repoIndex: number, arm64: boolean): BuiltImage {
  const arch = arm64 ? 'arm64' : 'amd64';
  // arm64 exists for two repositories only: give each its own base and runtime, as two distinct stacks would.
  const armIndex = [...MULTI_PLATFORM].indexOf(repoIndex);
  const layers: LayerSpec[] = [
    arm64 ? pick(ARM64_BASES, armIndex) : pick(AMD64_BASES, repoIndex),
    arm64 ? pick(ARM64_RUNTIMES, armIndex) : pick(AMD64_RUNTIMES, repoIndex * 3),
    { seed: `perf-deps-${repository}-${arch}`, size: 1 * MB },
    { seed: `perf-app-${repository}-${tag}-${arch}`, size: APP_SIZES[tagIndex] ?? MB },
  ];
  return buildImage({
    repositoryHint: `${repository}:${tag}`,
    labels: { 'org.opencontainers.image.version': tag, 'org.opencontainers.image.source': `https://example.com/${repository}` },
    ...(arm64 ? { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } } : {}),
    layers,
  });
}

function buildDataset(): Dataset {
  const repositories: string[] = [];
  const images: DatasetImage[] = [];
  for (let repoIndex = 1; repoIndex <= REPOSITORY_COUNT; repoIndex += 1) {
    const repository = `perf/svc-${String(repoIndex).padStart(2, '0')}`;
    repositories.push(repository);
    TAGS.forEach((tag, tagIndex) => {
      const amd64 = platformImage(repository, tag, tagIndex, repoIndex, false);
      const artifact = MULTI_PLATFORM.has(repoIndex) ? buildIndex([amd64, platformImage(repository, tag, tagIndex, repoIndex, true)]) : amd64;
      images.push({ repository, tag, artifact });
    });
  }
  const unique = new Map<string, number>();
  let logicalBytes = 0;
  for (const { artifact } of images) {
    for (const [digest, bytes] of artifact.blobs) {
      unique.set(digest, bytes.length);
      logicalBytes += bytes.length;
    }
  }
  return { repositories, images, uniqueBlobs: unique.size, uniqueBytes: [...unique.values()].reduce((a, b) => a + b, 0), logicalBytes };
}

/** Pushes the data set, one repository at a time per worker (each pushImage skips blobs already there). */
async function seedDataset(baseUrl: string, dataset: Dataset): Promise<void> {
  const client = new RegistryClient({ baseUrl });
  await Promise.all(
    dataset.repositories.map(async (repository) => {
      for (const image of dataset.images.filter((candidate) => candidate.repository === repository)) {
        await pushImage(client, image.repository, image.tag, image.artifact);
      }
    }),
  );
}

export { buildDataset, MB, seedDataset };
export type { Dataset, DatasetImage };
