import { UserFacingError } from '@dockmaster/core/errors';
import type { DeliveredAlert } from '../bus/index.js';
import type { EcrFaultSpec, PendingEcrFault } from '../ecr/ecr-faults.js';
import type { RecordedScan } from '../stack/record-scan.js';
import type { LocalStackStatus } from '../stack/start-local-stack.js';
import type { OnDemandTrigger } from '../runner/index.js';
import type { LocalStackState } from './state-file.js';

/** Talks to a running stack's control API (another process), with the token from its state file. */
class ControlClient {
  private readonly state: LocalStackState;

  public constructor(state: LocalStackState) {
    this.state = state;
  }

  private async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs = 120_000): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.state.urls.control}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.state.controlToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new UserFacingError(
        'LOCAL_STACK_UNREACHABLE',
        `the local stack (pid ${this.state.pid}) does not answer at ${this.state.urls.control}: ${(error as Error).message}; ` +
          `check it with \`dockmaster local down\` and start it again with \`dockmaster local up\`${this.state.logFile === undefined ? '' : ` (its log: ${this.state.logFile})`}`,
      );
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (!response.ok) throw new UserFacingError(payload.error?.code ?? 'LOCAL_CONTROL', payload.error?.message ?? `the local stack answered ${response.status}`);
    return payload as T;
  }

  public status(): Promise<LocalStackStatus> {
    return this.request('GET', '/status');
  }

  public alerts(): Promise<DeliveredAlert[]> {
    return this.request('GET', '/alerts');
  }

  public scan(reference: string, findings: unknown): Promise<RecordedScan> {
    return this.request('POST', '/scan', { reference, findings });
  }

  public trigger(name: OnDemandTrigger): Promise<{ automation: string }> {
    return this.request('POST', '/trigger', { name });
  }

  /** Resolves once every worker is idle (batching windows cut short). */
  public idle(timeoutMs = 60_000): Promise<{ idle: true }> {
    return this.request('POST', '/idle', { timeoutMs }, timeoutMs + 5_000);
  }

  /** Injects one fault into the local ECR's API or registry; it stops by itself after `count` requests. */
  public injectFault(spec: EcrFaultSpec): Promise<{ injected: PendingEcrFault; pending: PendingEcrFault[] }> {
    return this.request('POST', '/faults', spec);
  }

  public faults(): Promise<{ pending: PendingEcrFault[] }> {
    return this.request('GET', '/faults');
  }

  public clearFaults(): Promise<{ cleared: number }> {
    return this.request('DELETE', '/faults');
  }

  public stop(): Promise<{ stopping: boolean; pid: number }> {
    return this.request('POST', '/stop');
  }
}

export { ControlClient };
