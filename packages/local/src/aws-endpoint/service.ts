import type { z } from 'zod';
import { AwsServiceError } from './aws-service-error.js';

/** What an operation learns about the HTTP request beyond its JSON input. */
interface RequestContext {
  /** Base URL the client used to reach the endpoint (`http://127.0.0.1:4566`), for URLs handed back (queue URLs, layer URLs). */
  endpointUrl: string;
}

/** One AWS JSON-protocol operation: decoded JSON input in, plain output object out (Dates become epoch seconds on the wire). */
type OperationHandler = (input: unknown, context: RequestContext) => Promise<object> | object;

/** A service the endpoint can dispatch to by the operation part of `X-Amz-Target`. */
interface AwsJsonService {
  readonly operations: Readonly<Record<string, OperationHandler>>;
}

/**
 * Validates an operation's input with zod; violations become the service's own validation error
 * (ECR says InvalidParameterException, SQS InvalidParameterValue, SSM ValidationException).
 */
function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, toError: (message: string) => AwsServiceError): z.output<Schema> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? 'input' : issue.path.join('.');
  throw toError(`Invalid parameter at '${where}' failed to satisfy constraint: '${issue?.message ?? 'invalid'}'`);
}

/** Builds a handler from a zod schema and a typed function. */
function operation<Schema extends z.ZodType>(
  schema: Schema,
  toError: (message: string) => AwsServiceError,
  handler: (input: z.output<Schema>, context: RequestContext) => Promise<object> | object,
): OperationHandler {
  return (input, context) => handler(parseInput(schema, input, toError), context);
}

export { AwsServiceError, operation, parseInput };
export type { AwsJsonService, OperationHandler, RequestContext };
