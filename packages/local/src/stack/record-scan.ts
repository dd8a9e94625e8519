import { UserFacingError } from '@dockmaster/core/errors';
import { ScanStatus } from '@dockmaster/core/events/vocabulary';
import * as z from 'zod';
import { AwsServiceError } from '../aws-endpoint/index.js';
import { imageScanCompleteEvent, type EventOrigin, type LocalBus } from '../bus/index.js';
import type { LocalEcr } from '../ecr/index.js';

/** What DescribeImageScanFindings returns (the AWS JSON shape); only what the stack needs is checked, the rest is kept. */
const FindingsFileSchema = z.looseObject({
  imageScanStatus: z.looseObject({ status: z.string().optional(), description: z.string().optional() }).optional(),
  imageScanFindings: z.looseObject({
    findings: z.array(z.looseObject({ severity: z.string().optional() })).optional(),
    enhancedFindings: z.array(z.looseObject({ severity: z.string().optional() })).optional(),
    findingSeverityCounts: z.record(z.string(), z.number().int().nonnegative()).optional(),
  }),
});
type FindingsFile = z.output<typeof FindingsFileSchema>;

interface RecordedScan {
  repository: string;
  digest: string;
  tags: string[];
  /** Severities with findings (zero counts omitted, as ECR does). */
  counts: Record<string, number>;
  eventId: string;
  automations: string[];
}

/** `repo:tag` or `repo@sha256:...`; the tag separator is the last `:` after the last `/`. */
const parseImageReference = (reference: string): { repository: string; tag?: string; digest?: string } => {
  const at = reference.indexOf('@');
  if (at > 0) return { repository: reference.slice(0, at), digest: reference.slice(at + 1) };
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/') && colon > 0 && colon < reference.length - 1) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  throw new UserFacingError('LOCAL_SCAN_REFERENCE', `"${reference}" is not an image reference; use <repository>:<tag> or <repository>@sha256:<digest>, e.g. prod/payments/api:1.4.2`);
};

const parseFindings = (input: unknown): FindingsFile => {
  const result = FindingsFileSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new UserFacingError(
    'LOCAL_SCAN_FINDINGS',
    `the findings are not a DescribeImageScanFindings response: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'} (save one with: aws ecr describe-image-scan-findings --repository-name <repo> --image-id imageTag=<tag>)`,
  );
};

/** ECR's counts: as given in the file, else counted from the findings of both shapes. */
const severityCounts = (findings: FindingsFile): Record<string, number> => {
  const given = findings.imageScanFindings.findingSeverityCounts;
  const counts: Record<string, number> = { ...given };
  if (given === undefined) {
    for (const finding of [...(findings.imageScanFindings.findings ?? []), ...(findings.imageScanFindings.enhancedFindings ?? [])]) {
      const severity = (finding.severity ?? 'UNDEFINED').toUpperCase();
      counts[severity] = (counts[severity] ?? 0) + 1;
    }
  }
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
};

/**
 * What basic scanning does when a scan completes: stores the findings (DescribeImageScanFindings then returns
 * them) and emits `ECR Image Scan` COMPLETE with the image's tags and non-zero severity counts.
 */
const recordScan = async (input: { ecr: LocalEcr; bus: LocalBus; origin: EventOrigin; reference: string; findings: unknown }): Promise<RecordedScan> => {
  const findings = parseFindings(input.findings);
  const { repository, tag, digest } = parseImageReference(input.reference);
  let detail: { imageDigest: string; imageTags?: string[] };
  try {
    const described = (await input.ecr.describeImages({ repositoryName: repository, imageIds: [tag === undefined ? { imageDigest: digest } : { imageTag: tag }] })) as {
      imageDetails: Array<{ imageDigest: string; imageTags?: string[] }>;
    };
    const [first] = described.imageDetails;
    if (first === undefined) throw new AwsServiceError('ImageNotFoundException', 'not found');
    detail = first;
  } catch (error) {
    if (error instanceof AwsServiceError) {
      throw new UserFacingError('LOCAL_SCAN_IMAGE', `cannot record a scan for ${input.reference}: ${error.message}; push the image to the local registry first`);
    }
    throw error;
  }
  const counts = severityCounts(findings);
  const now = new Date();
  input.ecr.recordScanFindings(repository, detail.imageDigest, {
    imageScanStatus: findings.imageScanStatus ?? { status: ScanStatus.Complete, description: 'The scan was completed successfully.' },
    imageScanFindings: {
      imageScanCompletedAt: now.toISOString(),
      vulnerabilitySourceUpdatedAt: now.toISOString(),
      ...findings.imageScanFindings,
      findingSeverityCounts: counts,
    },
  });
  const tags = detail.imageTags ?? [];
  const delivery = input.bus.publish(imageScanCompleteEvent(input.origin, { repository, digest: detail.imageDigest, tags, counts }));
  return { repository, digest: detail.imageDigest, tags, counts, eventId: delivery.event.id, automations: delivery.automations };
};

export { parseImageReference, recordScan };
export type { RecordedScan };
