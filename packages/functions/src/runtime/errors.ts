import { ParsingError } from '@aws-lambda-powertools/batch';
import { UserFacingError } from '@dockmaster/core/errors';
import { collapseToOneLine } from '@dockmaster/core/shared';

/**
 * Whether retrying a failed record can help. Transient failures go back to SQS (batchItemFailures) and are
 * retried after the visibility timeout; permanent ones go straight to the worker's dead-letter queue with
 * their reason, because every retry would fail the same way and only delay the alarm.
 */
const FailureKind = {
  Transient: 'transient',
  Permanent: 'permanent',
} as const;
type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

type FailureClassification = {
  kind: FailureKind;
  /** Short machine-readable code: the UserFacingError code, the AWS error name, INVALID_EVENT, ... */
  code: string;
  /** One line saying what failed, for the DockmasterFailureReason attribute and the log. */
  reason: string;
};

/** Thrown by a worker for a failure retrying cannot fix, when no more specific error type says so. */
class PermanentError extends Error {
  public readonly code: string;

  public constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentError';
    this.code = code;
  }
}

/** Code of a record whose body is not the event the worker expects (bad JSON, or the zod schema rejects it). */
const INVALID_EVENT_CODE = 'INVALID_EVENT';
/** Code of data a worker validated on its way (a zod error thrown while processing): the same data fails again. */
const INVALID_DATA_CODE = 'INVALID_DATA';

/**
 * AWS error names that mean "the request itself is wrong or not allowed": the same call fails again until
 * someone changes IAM, the resource or the config. Throttling, 5xx and timeouts are not here: the SDK's
 * standard retry mode already retried them, and SQS may retry them again.
 */
const PERMANENT_AWS_ERRORS: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidParameterException',
  'InvalidParameterValueException',
  'ValidationException',
  'KmsException',
]);

/** Mirrors the SDK's own classification (@smithy/core retry), so "the SDK gave up retrying" stays transient. */
const TRANSIENT_STATUS_CODES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Longest reason kept: SQS counts attribute bytes against the message size, and a reason is for humans. */
const MAX_REASON_CHARS = 1_000;

type AwsErrorShape = Error & { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; $fault?: 'client' | 'server' };

/** A failure reason: one line (SQS attribute, log field, CLI listing), bounded in length. */
const reasonLine = (text: string): string => {
  const line = collapseToOneLine(text).trim();
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
};

const isAwsError = (error: Error): error is AwsErrorShape => '$metadata' in error;

/** The Powertools batch parser's failure: the record body did not parse into the worker's event schema. */
const isEventParseError = (error: Error): boolean => error instanceof ParsingError || error.name === 'ParsingError';
/** By name: core and functions may resolve different zod copies, so instanceof is not reliable. */
const isZodError = (error: Error): boolean => error.name === 'ZodError';

const classifyAwsError = (error: AwsErrorShape): FailureKind => {
  const status = error.$metadata?.httpStatusCode;
  if (error.$retryable !== undefined || (status !== undefined && TRANSIENT_STATUS_CODES.has(status))) return FailureKind.Transient;
  return PERMANENT_AWS_ERRORS.has(error.name) ? FailureKind.Permanent : FailureKind.Transient;
};

/** Classifies one error, following `cause` when the outer error is only a wrapper. */
const classify = (error: Error, depth: number): FailureClassification => {
  const reason = reasonLine(`${error.name}: ${error.message}`);
  if (error instanceof UserFacingError) return { kind: FailureKind.Permanent, code: error.code, reason: reasonLine(error.message) };
  if (error instanceof PermanentError) return { kind: FailureKind.Permanent, code: error.code, reason: reasonLine(error.message) };
  if (isEventParseError(error)) {
    return { kind: FailureKind.Permanent, code: INVALID_EVENT_CODE, reason: reasonLine(`the message is not a valid event for this worker: ${error.message}`) };
  }
  if (isZodError(error)) return { kind: FailureKind.Permanent, code: INVALID_DATA_CODE, reason };
  if (isAwsError(error)) return { kind: classifyAwsError(error), code: error.name, reason };
  if (error.cause instanceof Error && depth < 5) {
    const inner = classify(error.cause, depth + 1);
    return { ...inner, reason: reasonLine(`${error.message} (caused by ${inner.reason})`) };
  }
  // Anything unknown (a bug, a network error the SDK did not type) is retried: SQS bounds it with maxReceiveCount.
  return { kind: FailureKind.Transient, code: error.name || 'Error', reason };
};

/** Classifies what a record handler threw (anything can be thrown in JavaScript). */
const classifyFailure = (thrown: unknown): FailureClassification =>
  classify(thrown instanceof Error ? thrown : new Error(String(thrown)), 0);

export { classifyFailure, FailureKind, INVALID_DATA_CODE, INVALID_EVENT_CODE, PermanentError };
export type { FailureClassification };
