import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserFacingError } from '@dockmaster/core/errors';
import * as z from 'zod';
import { EcrFaultSpecSchema } from '../ecr/ecr-faults.js';
import { ON_DEMAND_TRIGGER_NAMES } from '../runner/index.js';
import type { PendingEcrFault } from '../ecr/ecr-faults.js';
import { readBodyUpTo } from '../shared/read-body.js';
import { stopOnce } from '../shared/stop-server.js';
import type { LocalStack } from '../stack/start-local-stack.js';

interface RunningControlServer {
  url: string;
  /** Required as `Authorization: Bearer <token>` on every request. */
  token: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

const ScanRequestSchema = z.object({ reference: z.string().min(1), findings: z.unknown() });
const TriggerRequestSchema = z.object({ name: z.enum(ON_DEMAND_TRIGGER_NAMES as [string, ...string[]]) });
const IdleRequestSchema = z.object({ timeoutMs: z.number().int().positive().max(600_000).optional() });

class HttpProblem extends Error {
  public constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const readBody = async (request: IncomingMessage): Promise<unknown> => {
  const body = await readBodyUpTo(request, MAX_BODY_BYTES);
  if (body === undefined) throw new HttpProblem(413, 'TOO_LARGE', `request body above ${MAX_BODY_BYTES} bytes`);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'BAD_JSON', 'the request body is not JSON');
  }
};

const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HttpProblem(400, 'BAD_REQUEST', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
};

const send = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

const isAuthorised = (header: string | undefined, token: string): boolean => {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

const describeFault = (fault: PendingEcrFault): string =>
  fault.target === 'api'
    ? `ECR ${fault.operation ?? 'every operation'} answers ${fault.kind} to the next ${fault.remaining} request(s)`
    : `the registry answers ${fault.kind} to the next ${fault.remaining} request(s)`;

/**
 * The control API of a running stack, for the CLI and the demo (another process): status, scan, alerts,
 * trigger, idle (drain), faults (inject, list, clear), stop. Loopback only, and a token from the state file on every request.
 */
const startControlServer = async ({ stack, port = 0 }: { stack: LocalStack; port?: number }): Promise<RunningControlServer> => {
  const token = randomBytes(24).toString('hex');
  const routes: Record<string, (body: unknown) => Promise<{ status: number; body: unknown }>> = {
    'GET /status': async () => ({ status: 200, body: stack.status() }),
    'GET /alerts': async () => ({ status: 200, body: stack.deliveredAlerts() }),
    'POST /scan': async (body) => {
      const { reference, findings } = parse(ScanRequestSchema, body);
      return { status: 200, body: await stack.scan(reference, findings) };
    },
    'POST /trigger': async (body) => {
      const { name } = parse(TriggerRequestSchema, body);
      return { status: 200, body: { automation: stack.trigger(name as (typeof ON_DEMAND_TRIGGER_NAMES)[number]) } };
    },
    'POST /idle': async (body) => {
      const { timeoutMs } = parse(IdleRequestSchema, body);
      await stack.drain(timeoutMs);
      return { status: 200, body: { idle: true } };
    },
    // Faults: bounded by their count, they stop by themselves; DELETE clears what is left.
    'POST /faults': async (body) => {
      const injected = stack.ecr.faults.inject(parse(EcrFaultSpecSchema, body));
      stack.log.warning(`fault injected: ${describeFault(injected)}`);
      return { status: 201, body: { injected, pending: stack.ecr.faults.pending() } };
    },
    'GET /faults': async () => ({ status: 200, body: { pending: stack.ecr.faults.pending() } }),
    'DELETE /faults': async () => {
      const cleared = stack.ecr.faults.clear();
      if (cleared > 0) stack.log.info(`cleared ${cleared} pending fault(s)`);
      return { status: 200, body: { cleared } };
    },
    'POST /stop': async () => {
      // Answer first: stopping closes this server.
      setImmediate(() => void stack.stop());
      return { status: 202, body: { stopping: true, pid: process.pid } };
    },
  };
  const server = createServer((request, response) => {
    void (async () => {
      try {
        if (!isAuthorised(request.headers.authorization, token)) throw new HttpProblem(401, 'UNAUTHORIZED', 'missing or wrong control token (see the state file)');
        const route = routes[`${request.method ?? 'GET'} ${new URL(request.url ?? '/', 'http://local').pathname}`];
        if (route === undefined) throw new HttpProblem(404, 'NOT_FOUND', `no such control operation: ${request.method} ${request.url}`);
        const result = await route(await readBody(request));
        send(response, result.status, result.body);
      } catch (error) {
        if (error instanceof HttpProblem) send(response, error.status, { error: { code: error.code, message: error.message } });
        else if (error instanceof UserFacingError) send(response, 400, { error: { code: error.code, message: error.message } });
        else {
          stack.log.error(`control API: ${(error as Error).message}`);
          send(response, 500, { error: { code: 'INTERNAL', message: (error as Error).message } });
        }
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    stop: stopOnce(server),
  };
};

export { startControlServer };
export type { RunningControlServer };
