import { createHash } from 'node:crypto';
import { MediaType, sha256Digest } from '../manifest/index.js';
import type { Platform } from '../manifest/index.js';
import { gzipStored } from './gzip.js';
import { seededBytes } from './seeded-bytes.js';
import { tarSingleFile } from './tar.js';

/** Fixed so configs (and therefore digests) do not depend on when the test ran. */
const EPOCH = '1970-01-01T00:00:00Z';

interface LayerSpec {
  /** Same seed and size give the same layer bytes and digest, so layers can be shared across images. */
  seed: string;
  /** Payload bytes inside the tar; the blob is slightly larger (tar and gzip framing). */
  size: number;
}

interface BuildImageOptions {
  /** Makes otherwise identical images distinct per repository (recorded in the config history, not as a label). */
  repositoryHint?: string;
  /** Config labels (`config.Labels`), as `LABEL` in a Dockerfile sets them. */
  labels?: Record<string, string>;
  /** Manifest annotations. */
  annotations?: Record<string, string>;
  /** Default linux/amd64. */
  platform?: { os: string; architecture: string; variant?: string };
  layers: LayerSpec[];
}

interface BuiltImage {
  kind: 'image';
  mediaType: typeof MediaType.OciManifest;
  manifest: Uint8Array;
  manifestDigest: string;
  config: Uint8Array;
  configDigest: string;
  platform: Platform;
  /** Config and layer blobs by digest. */
  blobs: Map<string, Uint8Array>;
}

interface BuiltIndex {
  kind: 'index';
  mediaType: typeof MediaType.OciIndex;
  manifest: Uint8Array;
  manifestDigest: string;
  children: BuiltImage[];
  /** Every blob of every child, by digest. */
  blobs: Map<string, Uint8Array>;
}

type BuiltArtifact = BuiltImage | BuiltIndex;

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function buildLayer(spec: LayerSpec): { blob: Uint8Array; diffId: string } {
  const fileName = `dockmaster/layer-${createHash('sha256').update(spec.seed).digest('hex').slice(0, 16)}.bin`;
  const tar = tarSingleFile(fileName, seededBytes(spec.seed, spec.size));
  return { blob: gzipStored(tar), diffId: sha256Digest(tar) };
}

/** A deterministic single-platform OCI image: same options, same bytes, same digests. */
function buildImage(options: BuildImageOptions): BuiltImage {
  const platform: Platform = {
    architecture: options.platform?.architecture ?? 'amd64',
    os: options.platform?.os ?? 'linux',
    ...(options.platform?.variant === undefined ? {} : { variant: options.platform.variant }),
  };
  const layers = options.layers.map(buildLayer);
  const history = [
    ...(options.repositoryHint === undefined ? [] : [{ created: EPOCH, created_by: `dockmaster buildImage for ${options.repositoryHint}`, empty_layer: true }]),
    ...options.layers.map((layer) => ({ created: EPOCH, created_by: `dockmaster buildImage layer seed=${layer.seed} size=${layer.size}` })),
  ];
  const config = jsonBytes({
    created: EPOCH,
    ...platform,
    config: options.labels === undefined ? {} : { Labels: options.labels },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.diffId) },
    history,
  });
  const configDigest = sha256Digest(config);

  const blobs = new Map<string, Uint8Array>([[configDigest, config]]);
  const layerDescriptors = layers.map(({ blob }) => {
    const digest = sha256Digest(blob);
    blobs.set(digest, blob);
    return { mediaType: MediaType.OciLayerGzip, digest, size: blob.length };
  });
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciConfig, digest: configDigest, size: config.length },
    layers: layerDescriptors,
    ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
  });
  return { kind: 'image', mediaType: MediaType.OciManifest, manifest, manifestDigest: sha256Digest(manifest), config, configDigest, platform, blobs };
}

/** An OCI index over already built images; each child descriptor carries the image's platform. */
function buildIndex(images: readonly BuiltImage[], annotations?: Record<string, string>): BuiltIndex {
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: MediaType.OciIndex,
    manifests: images.map((image) => ({ mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifest.length, platform: image.platform })),
    ...(annotations === undefined ? {} : { annotations }),
  });
  const blobs = new Map<string, Uint8Array>(images.flatMap((image) => [...image.blobs]));
  return { kind: 'index', mediaType: MediaType.OciIndex, manifest, manifestDigest: sha256Digest(manifest), children: [...images], blobs };
}

export { buildImage, buildIndex };
export type { BuildImageOptions, BuiltArtifact, BuiltImage, BuiltIndex, LayerSpec };
