import * as z from 'zod';

/** Manifest media types Dockmaster reads from ECR: OCI and Docker v2, single images and indexes. */
const MediaType = {
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const IMAGE_MANIFEST_MEDIA_TYPES: readonly string[] = [MediaType.OciManifest, MediaType.DockerManifest];
const INDEX_MEDIA_TYPES: readonly string[] = [MediaType.OciIndex, MediaType.DockerManifestList];
const ACCEPTED_MEDIA_TYPES: string[] = [...IMAGE_MANIFEST_MEDIA_TYPES, ...INDEX_MEDIA_TYPES];

const Annotations = z.record(z.string(), z.string());

const Platform = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() });

const Descriptor = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'must be a sha256 digest'),
  size: z.number().int().nonnegative(),
  platform: Platform.optional(),
  annotations: Annotations.optional(),
});

const ImageManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: Descriptor,
  annotations: Annotations.optional(),
});

const ImageIndexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(Descriptor),
  annotations: Annotations.optional(),
});

/** The part of an image config blob Dockmaster reads; Docker writes `"Labels": null` when there are none. */
const ImageConfigSchema = z.object({
  config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
});

type Descriptor = z.output<typeof Descriptor>;
type ImageManifest = z.output<typeof ImageManifestSchema>;
type ImageIndex = z.output<typeof ImageIndexSchema>;

/** `os/architecture[/variant]`, as in the config file's platform filters. */
const platformName = (descriptor: Descriptor): string | null => {
  const platform = descriptor.platform;
  if (!platform) return null;
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
};

/**
 * True for index entries that are not runnable images: BuildKit's attestation manifests
 * (platform unknown/unknown, `vnd.docker.reference.type: attestation-manifest`) carry no labels and never run.
 */
const isAttestation = (descriptor: Descriptor): boolean =>
  descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || descriptor.platform?.os === 'unknown';

/** Decides index vs image from the media type ECR reports, falling back to the manifest's shape when absent. */
const isIndex = (mediaType: string | undefined, manifest: unknown): boolean =>
  mediaType ? INDEX_MEDIA_TYPES.includes(mediaType) : typeof manifest === 'object' && manifest !== null && 'manifests' in manifest;

export {
  ACCEPTED_MEDIA_TYPES,
  IMAGE_MANIFEST_MEDIA_TYPES,
  ImageConfigSchema,
  ImageIndexSchema,
  ImageManifestSchema,
  isAttestation,
  isIndex,
  MediaType,
  platformName,
};
export type { Descriptor, ImageIndex, ImageManifest };
