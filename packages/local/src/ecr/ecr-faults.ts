import * as z from 'zod';
import { AwsFaultInjector, AwsFaultSpecSchema } from '../aws-endpoint/faults.js';
import type { PendingAwsFault } from '../aws-endpoint/faults.js';
import { FaultInjector, RegistryFaultSpecSchema } from '../registry-front/faults.js';
import type { PendingRegistryFault } from '../registry-front/faults.js';

/**
 * One fault to inject into the local ECR: its API (`target: 'api'`, the default: ThrottlingException,
 * ServerException, InternalFailure, Timeout, AccessDeniedException, optionally for one `operation`) or its
 * registry endpoint, the registry front (`target: 'registry'`: TooManyRequests with Retry-After, 5xx).
 */
const EcrFaultSpecSchema = z.union([
  AwsFaultSpecSchema.extend({ target: z.literal('api').optional() }),
  RegistryFaultSpecSchema.extend({ target: z.literal('registry') }),
]);
type EcrFaultSpec = z.input<typeof EcrFaultSpecSchema>;

type PendingEcrFault = (PendingAwsFault & { target: 'api' }) | (PendingRegistryFault & { target: 'registry' });

/**
 * The faults of the local ECR, shared by the AWS endpoint (API operations) and the registry front (registry
 * requests): both get them from the LocalEcr, so tests, the control API and the CLI inject in one place.
 */
class EcrFaults {
  public readonly api = new AwsFaultInjector();
  public readonly registry = new FaultInjector();

  /** Validates and adds one fault; a bad spec throws a zod error naming the field. */
  public inject(spec: EcrFaultSpec): PendingEcrFault {
    const parsed = EcrFaultSpecSchema.parse(spec);
    if (parsed.target === 'registry') {
      const { target, ...registrySpec } = parsed;
      return { target, ...this.registry.inject(registrySpec) };
    }
    const { target: _api, ...apiSpec } = parsed;
    return { target: 'api', ...this.api.inject(apiSpec) };
  }

  /** Faults not used up yet, API ones first. */
  public pending(): PendingEcrFault[] {
    return [
      ...this.api.pending().map((fault) => ({ target: 'api' as const, ...fault })),
      ...this.registry.pending().map((fault) => ({ target: 'registry' as const, ...fault })),
    ];
  }

  /** Removes every pending fault; returns how many there were. */
  public clear(): number {
    return this.api.clear() + this.registry.clear();
  }
}

export { EcrFaults, EcrFaultSpecSchema };
export type { EcrFaultSpec, PendingEcrFault };
