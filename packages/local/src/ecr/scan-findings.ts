import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { paginate } from '../aws-endpoint/pagination.js';
import { imageNotFound, invalidNextToken, invalidParameter } from './ecr-errors.js';
import { imageKey, requireRepository } from './ecr-state.js';
import type { EcrState, ImageIdentifier, RecordedScanFindings } from './ecr-state.js';
import { listLocalImages, resolveImage } from './image-index.js';

/** Scan findings: recorded by the local stack (no scanner runs), served by DescribeImageScanFindings. */

/** Epoch-second numbers and ISO strings of `...At`/`...Date` keys become Dates, so the wire writer emits epoch seconds again. */
function normaliseTimestamps(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normaliseTimestamps(item));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([childKey, child]) => [childKey, normaliseTimestamps(child, childKey)]));
  }
  if (/(At|Date)$/.test(key) && (typeof value === 'number' || typeof value === 'string')) {
    const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  return value;
}

/** Stores a scan result for DescribeImageScanFindings/DescribeImages; `findings` is a DescribeImageScanFindings response body. */
function recordScanFindings(ecr: Pick<EcrState, 'scanFindings'>, repository: string, digest: string, findings: RecordedScanFindings): void {
  ecr.scanFindings.set(imageKey(repository, digest), normaliseTimestamps(findings) as RecordedScanFindings);
}

async function describeImageScanFindings(
  ecr: EcrState,
  input: { repositoryName: string; imageId: ImageIdentifier; maxResults?: number | undefined; nextToken?: string | undefined },
): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  const images = await listLocalImages(ecr, state.repositoryName);
  const resolved = resolveImage(images, input.imageId);
  if (!('digest' in resolved)) {
    if (resolved.failureCode === 'ImageNotFound') throw imageNotFound(input.imageId, state.repositoryName, ecr.registryId);
    throw invalidParameter(resolved.failureReason);
  }
  const recorded = ecr.scanFindings.get(imageKey(state.repositoryName, resolved.digest));
  if (recorded === undefined) {
    throw new AwsServiceError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '{imageDigest:'${resolved.digest}', imageTag:'${input.imageId.imageTag ?? 'null'}'}' in the repository with name '${state.repositoryName}' in the registry with id '${ecr.registryId}'`,
    );
  }
  const { findings = [], enhancedFindings = [], ...summary } = recorded.imageScanFindings ?? {};
  // One page runs over basic findings first, then enhanced ones; the SDK paginator aggregates both lists.
  const combined = [...findings.map((finding) => ({ kind: 'basic' as const, finding })), ...enhancedFindings.map((finding) => ({ kind: 'enhanced' as const, finding }))];
  const page = paginate(combined, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
  const pageBasic = page.items.filter((item) => item.kind === 'basic').map((item) => item.finding);
  const pageEnhanced = page.items.filter((item) => item.kind === 'enhanced').map((item) => item.finding);
  return {
    registryId: ecr.registryId,
    repositoryName: state.repositoryName,
    imageId: { imageDigest: resolved.digest, ...(input.imageId.imageTag === undefined ? {} : { imageTag: input.imageId.imageTag }) },
    imageScanStatus: recorded.imageScanStatus,
    imageScanFindings: {
      ...summary,
      ...(findings.length > 0 || enhancedFindings.length === 0 ? { findings: pageBasic } : {}),
      ...(enhancedFindings.length > 0 ? { enhancedFindings: pageEnhanced } : {}),
    },
    nextToken: page.nextToken,
  };
}

export { describeImageScanFindings, recordScanFindings };
