import * as z from 'zod';
import { PackageVulnerabilityDetailsSchema } from '../events/scan.js';
import { InspectorFindingStatus } from '../events/vocabulary.js';
import { dedupeFindings, findingsFromPackageVulnerability, UNKNOWN_PACKAGE, type Finding } from './finding.js';
import { inUseOf, mergeInUse, timestampOf, type InUse } from './in-use.js';
import { normalizeSeverity } from './severity.js';

/*
 * DescribeImageScanFindings responses (SDK output or the CLI's JSON). Basic scanning fills
 * `imageScanFindings.findings`, enhanced scanning (Inspector) fills `enhancedFindings`; tools that read
 * only one of them report zero vulnerabilities for the other (kubescape#2962), so both are read.
 * Only the fields Dockmaster uses are declared; the rest (timestamps as Date or number, scores) is ignored.
 */

const FixAvailable = z.enum(['YES', 'NO', 'PARTIAL']).optional().catch(undefined);
const ExploitAvailable = z.enum(['YES', 'NO']).optional().catch(undefined);

const BasicFindingSchema = z.object({
  name: z.string().min(1),
  severity: z.string().optional(),
  uri: z.string().optional(),
  attributes: z.array(z.object({ key: z.string(), value: z.string().optional() })).default([]),
});

/** The image's in-use data Inspector attaches to each enhanced finding; enrichment, so a bad value reads as absent. */
const EnhancedResourceSchema = z.object({
  details: z
    .object({
      awsEcrContainerImage: z
        .object({
          inUseCount: z.number().optional().catch(undefined),
          lastInUseAt: z.unknown().optional(),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const EnhancedFindingSchema = z.object({
  severity: z.string().optional(),
  resources: z.array(EnhancedResourceSchema).optional().catch(undefined),
  status: z.string().optional(),
  fixAvailable: FixAvailable,
  exploitAvailable: ExploitAvailable,
  // Absent for finding types other than package vulnerabilities; those are skipped.
  packageVulnerabilityDetails: PackageVulnerabilityDetailsSchema.optional(),
});

const DescribeImageScanFindingsSchema = z.object({
  imageScanStatus: z.object({ status: z.string().optional(), description: z.string().optional() }).optional(),
  // Absent when the scan failed or has not run.
  imageScanFindings: z
    .object({
      findings: z.array(BasicFindingSchema).nullish(),
      enhancedFindings: z.array(EnhancedFindingSchema).nullish(),
    })
    .optional(),
});

type DescribeImageScanFindingsPage = z.input<typeof DescribeImageScanFindingsSchema>;

const attribute = (finding: z.output<typeof BasicFindingSchema>, key: string): string | undefined =>
  finding.attributes.find((entry) => entry.key === key)?.value;

const fromBasic = (finding: z.output<typeof BasicFindingSchema>): Finding => ({
  id: finding.name,
  severity: normalizeSeverity(finding.severity),
  package: attribute(finding, 'package_name') ?? UNKNOWN_PACKAGE,
  installedVersion: attribute(finding, 'package_version') ?? 'unknown',
  ...(finding.uri ? { uri: finding.uri } : {}),
});

/** Inspector's CLOSED findings are gone and SUPPRESSED ones were dismissed in Inspector: neither is current. */
const isCurrent = (finding: z.output<typeof EnhancedFindingSchema>): boolean => finding.status === undefined || finding.status === InspectorFindingStatus.Active;

const fromEnhanced = (finding: z.output<typeof EnhancedFindingSchema>): Finding[] =>
  finding.packageVulnerabilityDetails && isCurrent(finding)
    ? findingsFromPackageVulnerability(finding.packageVulnerabilityDetails, {
        severity: normalizeSeverity(finding.severity),
        fixAvailable: finding.fixAvailable,
        exploitAvailable: finding.exploitAvailable,
      })
    : [];

/**
 * Normalises one DescribeImageScanFindings response, or several pages of it, to findings: basic and
 * enhanced, one per vulnerability and package, repeats removed, sorted by severity then id.
 * Throws a ZodError naming the field when a page does not have the AWS shape.
 */
const normalizeScanFindings = (response: unknown): Finding[] => {
  const pages = Array.isArray(response) ? response : [response];
  const findings = pages.flatMap((page: unknown) => {
    const parsed = DescribeImageScanFindingsSchema.parse(page).imageScanFindings;
    return [...(parsed?.findings ?? []).map(fromBasic), ...(parsed?.enhancedFindings ?? []).flatMap(fromEnhanced)];
  });
  return dedupeFindings(findings);
};

/**
 * Whether the image runs, from the `resources[].details.awsEcrContainerImage` Inspector attaches to enhanced
 * findings (inUseCount, lastInUseAt); undefined when no finding carries either field, which is always the case
 * for basic scanning. Each finding holds its own copy; mergeInUse says which one wins.
 */
const inUseFromScanFindings = (response: unknown): InUse | undefined => {
  const pages = Array.isArray(response) ? response : [response];
  const copies = pages.flatMap((page: unknown) =>
    (DescribeImageScanFindingsSchema.parse(page).imageScanFindings?.enhancedFindings ?? []).flatMap((finding) =>
      (finding.resources ?? []).map((resource) => {
        const image = resource.details?.awsEcrContainerImage;
        return image ? inUseOf({ inUseCount: image.inUseCount, lastInUseAt: timestampOf(image.lastInUseAt) }) : undefined;
      }),
    ),
  );
  return mergeInUse(copies);
};

export { DescribeImageScanFindingsSchema, inUseFromScanFindings, normalizeScanFindings };
export type { DescribeImageScanFindingsPage };
