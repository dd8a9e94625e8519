import * as z from 'zod';
import { DIGEST_PATTERN } from './digest.js';
import { isImageManifestMediaType, isIndexMediaType, MediaType } from './media-types.js';

const DigestSchema = z.string().regex(DIGEST_PATTERN, 'expected an OCI digest such as sha256:<64 hex>');

// Loose objects: registries and tools add fields (urls, data, artifactType...) that must survive a round trip.

const PlatformSchema = z.looseObject({
  architecture: z.string(),
  os: z.string(),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
  variant: z.string().optional(),
});

const AnnotationsSchema = z.record(z.string(), z.string());

const DescriptorSchema = z.looseObject({
  mediaType: z.string(),
  digest: DigestSchema,
  size: z.number().int().nonnegative(),
  urls: z.array(z.string()).optional(),
  annotations: AnnotationsSchema.optional(),
  artifactType: z.string().optional(),
  platform: PlatformSchema.optional(),
});

/** OCI image manifest or Docker v2 schema 2 manifest (same shape). OCI allows `mediaType` to be absent. */
const ImageManifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.enum([MediaType.OciManifest, MediaType.DockerManifest]).optional(),
  artifactType: z.string().optional(),
  config: DescriptorSchema,
  layers: z.array(DescriptorSchema),
  subject: DescriptorSchema.optional(),
  annotations: AnnotationsSchema.optional(),
});

/** OCI image index or Docker manifest list. */
const ImageIndexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.enum([MediaType.OciIndex, MediaType.DockerManifestList]).optional(),
  artifactType: z.string().optional(),
  manifests: z.array(DescriptorSchema),
  subject: DescriptorSchema.optional(),
  annotations: AnnotationsSchema.optional(),
});

type Platform = z.infer<typeof PlatformSchema>;
type Descriptor = z.infer<typeof DescriptorSchema>;
type ImageManifest = z.infer<typeof ImageManifestSchema>;
type ImageIndex = z.infer<typeof ImageIndexSchema>;
type ManifestDocument = ImageManifest | ImageIndex;

function isImageIndex(manifest: ManifestDocument): manifest is ImageIndex {
  return 'manifests' in manifest;
}

/**
 * Validates a manifest document. The kind comes from the served media type, else the body's `mediaType`,
 * else the shape (`manifests` means index), because OCI documents may omit `mediaType`.
 */
function parseManifestDocument(json: unknown, servedMediaType?: string): ManifestDocument {
  const bodyMediaType = typeof json === 'object' && json !== null && 'mediaType' in json ? json.mediaType : undefined;
  const candidates = [servedMediaType, typeof bodyMediaType === 'string' ? bodyMediaType : undefined];
  // Some registries serve `application/json`; only a manifest media type says anything about the kind.
  const declared = candidates.find((type) => isIndexMediaType(type) || isImageManifestMediaType(type));
  const looksLikeIndex = typeof json === 'object' && json !== null && 'manifests' in json;
  const schema = isIndexMediaType(declared) || (declared === undefined && looksLikeIndex) ? ImageIndexSchema : ImageManifestSchema;
  return schema.parse(json);
}

/** A readable account of why a document failed parseManifestDocument (zod's issues, or the error itself). */
const describeManifestProblem = (cause: unknown): string => (cause instanceof z.ZodError ? z.prettifyError(cause) : String(cause));

export {
  AnnotationsSchema,
  DescriptorSchema,
  describeManifestProblem,
  DigestSchema,
  ImageIndexSchema,
  ImageManifestSchema,
  isImageIndex,
  parseManifestDocument,
  PlatformSchema,
};
export type { Descriptor, ImageIndex, ImageManifest, ManifestDocument, Platform };
