import {
  ECRClient,
  ImageNotFoundException,
  paginateDescribeImageScanFindings,
  RepositoryNotFoundException,
  ScanNotFoundException,
  type DescribeImageScanFindingsCommandOutput,
} from '@aws-sdk/client-ecr';
import type { Finding, InUse } from '@dockmaster/core/scan-alert';
import { ImageGoneError } from './ecr-images.js';

/** All findings of one image, basic and enhanced, with the scan status ECR reported. */
type ImageScanFindings = {
  /** imageScanStatus.status of the first page: COMPLETE, ACTIVE (continuous enhanced scanning), FAILED, ... */
  scanStatus: string | undefined;
  findings: Finding[];
  /** How many pages ECR returned; logged, as a very long list is itself worth knowing. */
  pages: number;
  /** Whether the image runs, when Inspector attached it to the enhanced findings; never for basic scanning. */
  inUse?: InUse | undefined;
};

/** What the scan-alert worker needs from DescribeImageScanFindings; an interface so the worker can be tested without ECR. */
type ScanFindingsReader = {
  /**
   * Reads every page of DescribeImageScanFindings for the image. Throws ImageGoneError when the image or
   * repository no longer exists, ScanFindingsError when ECR has no scan for it (both are not retried usefully
   * forever: the first ends the record, the second is retried and lands in the DLQ).
   */
  readFindings(repository: string, digest: string, registryId?: string): Promise<ImageScanFindings>;
};

type ScanFindingsReaderOptions = {
  client?: ECRClient;
  /** Findings per page; 1000 is ECR's maximum, fewest calls for large images. */
  pageSize?: number;
};

class ScanFindingsError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScanFindingsError';
  }
}

const MAX_PAGE_SIZE = 1000;

const createScanFindingsReader = ({ client = new ECRClient({}), pageSize = MAX_PAGE_SIZE }: ScanFindingsReaderOptions = {}): ScanFindingsReader => ({
  async readFindings(repository, digest, registryId) {
    const pages: DescribeImageScanFindingsCommandOutput[] = [];
    try {
      // The SDK paginator follows nextToken; findings arrive in `findings` (basic) or `enhancedFindings` (Inspector).
      const paginator = paginateDescribeImageScanFindings(
        { client, pageSize },
        { repositoryName: repository, imageId: { imageDigest: digest }, ...(registryId ? { registryId } : {}) },
      );
      for await (const page of paginator) pages.push(page);
    } catch (error) {
      if (error instanceof ImageNotFoundException || error instanceof RepositoryNotFoundException) throw new ImageGoneError(repository, digest);
      if (error instanceof ScanNotFoundException) {
        throw new ScanFindingsError(`ECR has no scan for ${repository}@${digest} (ScanNotFoundException); the scan event arrived before its results`, {
          cause: error,
        });
      }
      throw error;
    }
    // Imported here, not at the worker's load: @dockmaster/core/scan-alert holds zod schemas (docs/sync.md, "Measured").
    const { inUseFromScanFindings, normalizeScanFindings } = await import('@dockmaster/core/scan-alert');
    const inUse = inUseFromScanFindings(pages);
    return { scanStatus: pages[0]?.imageScanStatus?.status, findings: normalizeScanFindings(pages), pages: pages.length, ...(inUse ? { inUse } : {}) };
  },
});

export { createScanFindingsReader, ScanFindingsError };
export type { ImageScanFindings, ScanFindingsReader, ScanFindingsReaderOptions };
