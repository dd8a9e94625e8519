import * as z from 'zod';
import { INSPECTOR_TIMESTAMP_FORMATS, parseInspectorTimestamp } from '../scan-alert/inspector-timestamp.js';
import { eventBridgeEvent } from './envelope.js';
import { AwsDetailType, EventSource, InspectorFindingStatus } from './vocabulary.js';

/** arn:<partition>:ecr:<region>:<account>:repository/<name>/sha256:<hex>: an ECR image, as Inspector names a covered image. */
const ECR_IMAGE_ARN = /^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:repository\/.+\/sha256:[0-9a-zA-Z]+$/;

/*
 * The scan results Dockmaster alerts on, as EventBridge delivers them (samples: test/fixtures/aws-events).
 * Unknown extra fields are ignored (AWS adds fields; the 2024 Inspector sample even has a stray top-level
 * key); a missing required field is a parse error whose reason names the field.
 */

const ImageDigest = z.string().regex(/^sha256:\S+$/, 'must be an image digest, sha256:<hex>');

/** AWS sends only the severities that have findings; Inspector adds TOTAL. Normalised in scan-alert/subject.ts. */
const SeverityCountsInput = z.record(z.string(), z.number().int().nonnegative());

/** Parses every format Inspector has used (see inspector-timestamp.ts) to a Date. */
const InspectorTimestamp = z.string().transform((value, ctx) => {
  const date = parseInspectorTimestamp(value);
  if (date) return date;
  ctx.addIssue({ code: 'custom', message: `unrecognised Inspector timestamp "${value}"; expected a form like ${INSPECTOR_TIMESTAMP_FORMATS.map((f) => `"${f}"`).join(', ')}` });
  return z.NEVER;
});

/** Enrichment fields: an unknown value must not cost the alert, so it reads as "not known". */
const FixAvailable = z.enum(['YES', 'NO', 'PARTIAL']).optional().catch(undefined);
const ExploitAvailable = z.enum(['YES', 'NO']).optional().catch(undefined);

/** One vulnerable package, as in Inspector events and in DescribeImageScanFindings' enhancedFindings. */
const VulnerablePackageSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  release: z.string().optional(),
  epoch: z.number().int().optional(),
  fixedInVersion: z.string().optional(),
  remediation: z.string().optional(),
  packageManager: z.string().optional(),
});

/** `packageVulnerabilityDetails`, shared by the Inspector2 Finding event and enhanced findings. */
const PackageVulnerabilityDetailsSchema = z.object({
  vulnerabilityId: z.string().min(1),
  vulnerablePackages: z.array(VulnerablePackageSchema).default([]),
  sourceUrl: z.string().optional(),
  source: z.string().optional(),
});

/* ---------- ECR Image Scan (basic scanning) ---------- */

const EcrImageScanDetailSchema = z.object({
  'scan-status': z.string().min(1),
  'repository-name': z.string().min(1),
  'image-digest': ImageDigest,
  'image-tags': z.array(z.string()).default([]),
  // Absent when the scan failed; zero severities are always absent.
  'finding-severity-counts': SeverityCountsInput.default({}),
});

const EcrImageScanEventSchema = eventBridgeEvent(EcrImageScanDetailSchema).extend({
  source: z.literal(EventSource.Ecr),
  'detail-type': z.literal(AwsDetailType.EcrImageScan),
});

/* ---------- Inspector2 Scan (initial enhanced scan) ---------- */

const ECR_REPOSITORY_ARN = /^arn:aws[a-z-]*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

const Inspector2ScanDetailSchema = z.object({
  'scan-status': z.string().min(1),
  // Despite its name, this holds the repository ARN; the name is derived from it in scan-alert/subject.ts.
  'repository-name': z
    .string()
    .regex(ECR_REPOSITORY_ARN, 'must be an ECR repository ARN, arn:aws:ecr:<region>:<account>:repository/<name>'),
  'image-digest': ImageDigest,
  'image-tags': z.array(z.string()).default([]),
  'finding-severity-counts': SeverityCountsInput.default({}),
  version: z.string().optional(),
});

const Inspector2ScanEventSchema = eventBridgeEvent(Inspector2ScanDetailSchema).extend({
  source: z.literal(EventSource.Inspector2),
  'detail-type': z.literal(AwsDetailType.Inspector2Scan),
});

/* ---------- Inspector2 Finding (one finding per event) ---------- */

const ECR_CONTAINER_IMAGE = 'AWS_ECR_CONTAINER_IMAGE';

const AwsEcrContainerImageSchema = z.object({
  repositoryName: z.string().min(1),
  imageHash: ImageDigest,
  imageTags: z.array(z.string()).default([]),
  registry: z.string().optional(),
  pushedAt: InspectorTimestamp.optional(),
  lastInUseAt: InspectorTimestamp.optional(),
  inUseCount: z.number().optional(),
  architecture: z.string().optional(),
  platform: z.string().optional(),
});

const FindingResourceSchema = z.object({
  type: z.string().min(1),
  // arn:aws:ecr:<region>:<account>:repository/<name>/sha256:<digest>
  id: z.string().min(1),
  details: z.object({ awsEcrContainerImage: AwsEcrContainerImageSchema.optional() }).optional(),
});

const Inspector2FindingDetailSchema = z.object({
  findingArn: z.string().min(1),
  awsAccountId: z.string().optional(),
  type: z.string().min(1),
  title: z.string().optional(),
  severity: z.string().min(1),
  status: z.enum(Object.values(InspectorFindingStatus)),
  fixAvailable: FixAvailable,
  exploitAvailable: ExploitAvailable,
  inspectorScore: z.number().optional(),
  firstObservedAt: InspectorTimestamp.optional(),
  lastObservedAt: InspectorTimestamp.optional(),
  updatedAt: InspectorTimestamp.optional(),
  packageVulnerabilityDetails: PackageVulnerabilityDetailsSchema,
  resources: z
    .array(FindingResourceSchema)
    .min(1)
    .refine(
      (resources) =>
        resources.some(
          (resource) =>
            resource.type === ECR_CONTAINER_IMAGE && (resource.details?.awsEcrContainerImage !== undefined || resource.id.includes('/sha256:')),
        ),
      { message: `has no ${ECR_CONTAINER_IMAGE} resource naming an image: this finding is not about an ECR container image` },
    ),
});

const Inspector2FindingEventSchema = eventBridgeEvent(Inspector2FindingDetailSchema).extend({
  source: z.literal(EventSource.Inspector2),
  'detail-type': z.literal(AwsDetailType.Inspector2Finding),
});

/* ---------- Inspector2 Coverage (scan status of one resource changed) ---------- */

/**
 * Inspector's documented sample is for an EC2 instance; the resource is named only in `resources` (the
 * CoveredResource id: for an ECR image, the image ARN). scanStatus.reason says why (SCAN_ELIGIBILITY_EXPIRED:
 * the re-scan duration lapsed; SCAN_FREQUENCY_MANUAL, RESOURCE_TERMINATED, ...; API reference `ScanStatus`).
 */
const Inspector2CoverageDetailSchema = z.object({
  scanStatus: z.object({ statusCodeValue: z.string().min(1), reason: z.string().optional() }),
  scanType: z.string().optional(),
  eventTimestamp: z.string().optional(),
});

const Inspector2CoverageEventSchema = eventBridgeEvent(Inspector2CoverageDetailSchema).extend({
  source: z.literal(EventSource.Inspector2),
  'detail-type': z.literal(AwsDetailType.Inspector2Coverage),
  resources: z
    .array(z.string())
    .refine((resources) => resources.some((resource) => ECR_IMAGE_ARN.test(resource)), {
      message: 'names no ECR image ARN (arn:aws:ecr:<region>:<account>:repository/<name>/sha256:<digest>): this coverage change is not about an ECR image',
    }),
});

/* ---------- any of them ---------- */

const ScanEventSchema = z.discriminatedUnion('detail-type', [
  EcrImageScanEventSchema,
  Inspector2ScanEventSchema,
  Inspector2FindingEventSchema,
  Inspector2CoverageEventSchema,
]);

/** The detail types ScanEventSchema reads, for messages that name them. */
const SCAN_EVENT_DETAIL_TYPES = [AwsDetailType.EcrImageScan, AwsDetailType.Inspector2Scan, AwsDetailType.Inspector2Finding, AwsDetailType.Inspector2Coverage] as const;

type EcrImageScanEvent = z.output<typeof EcrImageScanEventSchema>;
type Inspector2ScanEvent = z.output<typeof Inspector2ScanEventSchema>;
type Inspector2FindingEvent = z.output<typeof Inspector2FindingEventSchema>;
type Inspector2CoverageEvent = z.output<typeof Inspector2CoverageEventSchema>;
type ScanEvent = z.output<typeof ScanEventSchema>;
type PackageVulnerabilityDetails = z.output<typeof PackageVulnerabilityDetailsSchema>;
type VulnerablePackage = z.output<typeof VulnerablePackageSchema>;

type ScanEventParse = { ok: true; event: ScanEvent } | { ok: false; reason: string };

/**
 * Parses any scan event. The reason is one line ("detail.image-digest: ...; ...") rather than
 * z.prettifyError's multi-line layout, because it goes into a log line and a DLQ message attribute.
 */
const parseScanEvent = (input: unknown): ScanEventParse => {
  const result = ScanEventSchema.safeParse(input);
  if (result.success) return { ok: true, event: result.data };
  const reason = result.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(event)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason: `not a scan event Dockmaster can read: ${reason}` };
};

export {
  ECR_IMAGE_ARN,
  ECR_REPOSITORY_ARN,
  EcrImageScanEventSchema,
  Inspector2CoverageEventSchema,
  Inspector2FindingEventSchema,
  Inspector2ScanEventSchema,
  PackageVulnerabilityDetailsSchema,
  parseScanEvent,
  SCAN_EVENT_DETAIL_TYPES,
  ScanEventSchema,
  VulnerablePackageSchema,
};
export type {
  EcrImageScanEvent,
  Inspector2CoverageEvent,
  Inspector2FindingEvent,
  Inspector2ScanEvent,
  PackageVulnerabilityDetails,
  ScanEvent,
  ScanEventParse,
  VulnerablePackage,
};
