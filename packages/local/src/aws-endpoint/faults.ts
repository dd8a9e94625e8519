import { ecrRepositoryArn, formatArn, partitionOf } from '@dockmaster/core/topology';
import * as z from 'zod';
import { CountedFaults, MAX_FAULT_COUNT } from '../shared/counted-faults.js';
import { AwsServiceError } from './aws-service-error.js';

/**
 * Failures the local AWS endpoint can be told to answer with, so that retry and dead-letter paths run against
 * the real SDK: the same status codes and error names AWS sends, so the SDK's own retry classification applies.
 */
const AwsFaultKind = {
  /** HTTP 400 with `__type: ThrottlingException`, as ECR throttles (retried by the SDK's standard mode). */
  Throttling: 'ThrottlingException',
  /** HTTP 500, ECR's modeled server error. */
  ServerException: 'ServerException',
  /** HTTP 500, the generic AWS failure. */
  InternalFailure: 'InternalFailure',
  /** No answer: the request is held for `holdMs`, then its connection is dropped (the SDK sees a reset and retries). */
  Timeout: 'Timeout',
  /** HTTP 400 AccessDeniedException: permanent, the SDK does not retry it. */
  AccessDenied: 'AccessDeniedException',
} as const;
type AwsFaultKind = (typeof AwsFaultKind)[keyof typeof AwsFaultKind];
const AWS_FAULT_KINDS = Object.values(AwsFaultKind) as [AwsFaultKind, ...AwsFaultKind[]];

/** Faults stop by themselves: every injection has a count (MAX_FAULT_COUNT), and a held request is released after at most this. */
const MAX_HOLD_MS = 30_000;
const DEFAULT_HOLD_MS = 2_000;

const AwsFaultSpecSchema = z.strictObject({
  /** The operation to fail, e.g. `SetRepositoryPolicy`; every operation of the service when absent. */
  operation: z.string().regex(/^[A-Z][A-Za-z]+$/, 'an operation name such as SetRepositoryPolicy').optional(),
  kind: z.enum(AWS_FAULT_KINDS),
  /** How many matching requests fail; then the fault is gone. */
  count: z.number().int().min(1).max(MAX_FAULT_COUNT),
  /** Timeout only: how long the request is held before the connection drops. */
  holdMs: z.number().int().min(0).max(MAX_HOLD_MS).optional(),
});
type AwsFaultSpec = z.input<typeof AwsFaultSpecSchema>;

/** A pending injection, as listed by `pending()` and the control API. */
interface PendingAwsFault {
  id: number;
  operation: string | undefined;
  kind: AwsFaultKind;
  remaining: number;
  holdMs: number;
}

/** What one request gets instead of its answer. */
type AwsFault = { kind: 'error'; error: AwsServiceError } | { kind: 'drop'; holdMs: number };

interface FaultTarget {
  operation: string;
  /** The decoded input, for messages that name the resource (`repositoryName`). */
  input: unknown;
  account: string;
  region: string;
}

const repositoryOf = (input: unknown): string | undefined => {
  if (typeof input !== 'object' || input === null || !('repositoryName' in input)) return undefined;
  return typeof input.repositoryName === 'string' ? input.repositoryName : undefined;
};

/** The error AWS would send; wording as the services send it, so logs and dead-letter reasons read the same locally. */
const faultError = (kind: Exclude<AwsFaultKind, 'Timeout'>, target: FaultTarget): AwsServiceError => {
  switch (kind) {
    case AwsFaultKind.Throttling:
      return new AwsServiceError('ThrottlingException', 'Rate exceeded');
    case AwsFaultKind.ServerException:
      return new AwsServiceError('ServerException', 'These errors are usually caused by a server-side issue.', { statusCode: 500 });
    case AwsFaultKind.InternalFailure:
      return new AwsServiceError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', { statusCode: 500 });
    case AwsFaultKind.AccessDenied: {
      const repository = repositoryOf(target.input);
      const resource = repository === undefined ? '' : ` on resource: ${ecrRepositoryArn({ accountId: target.account, region: target.region }, repository)}`;
      return new AwsServiceError(
        'AccessDeniedException',
        `User: ${formatArn({ partition: partitionOf(target.region), service: 'sts', region: '', accountId: target.account, resource: 'assumed-role/dockmaster-local/worker' })} is not authorized to perform: ecr:${target.operation}${resource} because no identity-based policy allows the ecr:${target.operation} action`,
      );
    }
  }
};

/** Hands out injected faults one request at a time, first injection first. */
class AwsFaultInjector {
  private readonly faults = new CountedFaults<PendingAwsFault>();

  /** Adds a fault (validated: a bad spec throws a zod error naming the field); returns it as pending. */
  public inject(spec: AwsFaultSpec): PendingAwsFault {
    const parsed = AwsFaultSpecSchema.parse(spec);
    return this.faults.add((id) => ({ id, operation: parsed.operation, kind: parsed.kind, remaining: parsed.count, holdMs: parsed.holdMs ?? DEFAULT_HOLD_MS }));
  }

  /** The fault for this request, if one matches; consumes one of its count. */
  public take(target: FaultTarget): AwsFault | undefined {
    const fault = this.faults.take((candidate) => candidate.operation === undefined || candidate.operation === target.operation);
    if (fault === undefined) return undefined;
    return fault.kind === AwsFaultKind.Timeout ? { kind: 'drop', holdMs: fault.holdMs } : { kind: 'error', error: faultError(fault.kind, target) };
  }

  public pending(): PendingAwsFault[] {
    return this.faults.pending();
  }

  /** Removes every pending fault; returns how many there were. */
  public clear(): number {
    return this.faults.clear();
  }
}

export { AWS_FAULT_KINDS, AwsFaultInjector, AwsFaultKind, AwsFaultSpecSchema, MAX_FAULT_COUNT, MAX_HOLD_MS };
export type { AwsFault, AwsFaultSpec, FaultTarget, PendingAwsFault };
