import type { ScanAlertsConfig } from '../config/index.js';
import { parseInspectorTimestamp } from './inspector-timestamp.js';

/**
 * Whether an image runs, as Amazon Inspector reports it for ECR images (`awsEcrContainerImage.inUseCount` and
 * `lastInUseAt`: "the number of Amazon ECS tasks or Amazon EKS pods where the image is in use" and "the last time
 * it was used in one", Inspector API reference, AwsEcrContainerImageDetails). Both fields are optional in the API:
 * a field Inspector did not send stays absent here, never filled in. Basic scanning has no such data at all.
 */
interface InUse {
  count?: number;
  lastInUseAt?: Date;
}

/** What a route does with findings on an image Inspector reports as not in use. */
type NotInUseAction = NonNullable<ScanAlertsConfig['routes'][number]['notInUse']>;

const NotInUseAction = {
  Page: 'page',
  LowUrgency: 'low-urgency',
  Skip: 'skip',
} as const satisfies Record<string, NotInUseAction>;

/** The in-use data, or undefined when neither field is there (so "no data" has one representation). */
const inUseOf = (fields: { inUseCount?: number | undefined; lastInUseAt?: Date | undefined }): InUse | undefined => {
  const count = fields.inUseCount !== undefined && Number.isInteger(fields.inUseCount) && fields.inUseCount >= 0 ? fields.inUseCount : undefined;
  const lastInUseAt = fields.lastInUseAt !== undefined && !Number.isNaN(fields.lastInUseAt.getTime()) ? fields.lastInUseAt : undefined;
  if (count === undefined && lastInUseAt === undefined) return undefined;
  return { ...(count !== undefined ? { count } : {}), ...(lastInUseAt ? { lastInUseAt } : {}) };
};

/**
 * A timestamp as DescribeImageScanFindings returns it: a Date from the SDK, epoch seconds from AWS CLI v1
 * (`cli_timestamp_format = none`), an ISO-8601 string from AWS CLI v2; Inspector's own formats are accepted too.
 */
const timestampOf = (value: unknown): Date | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
  if (typeof value === 'string') return parseInspectorTimestamp(value);
  return undefined;
};

/**
 * Several findings of one image each carry a copy of the image's in-use data, taken when Inspector last updated
 * that finding. The most recent last-in-use time and the highest count are kept: on stale copies, "in use" is the
 * safer reading for paging than "not in use".
 */
const mergeInUse = (copies: readonly (InUse | undefined)[]): InUse | undefined => {
  let count: number | undefined;
  let lastInUseAt: Date | undefined;
  for (const copy of copies) {
    if (copy?.count !== undefined) count = Math.max(count ?? 0, copy.count);
    if (copy?.lastInUseAt && (!lastInUseAt || copy.lastInUseAt > lastInUseAt)) lastInUseAt = copy.lastInUseAt;
  }
  return inUseOf({ inUseCount: count, lastInUseAt });
};

/** Not in use means Inspector counted zero ECS tasks and EKS pods; a missing count is "not known", never "not in use". */
const isNotInUse = (inUse: InUse | undefined): boolean => inUse?.count === 0;

export { inUseOf, isNotInUse, mergeInUse, NotInUseAction, timestampOf };
export type { InUse };
