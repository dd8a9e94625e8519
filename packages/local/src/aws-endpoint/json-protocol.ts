import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyUpTo } from '../shared/read-body.js';
import { AwsServiceError } from './aws-service-error.js';

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const body = await readBodyUpTo(request, MAX_REQUEST_BYTES);
  if (body === undefined) throw new AwsServiceError('SerializationException', 'Request body too large.', { statusCode: 413 });
  return body;
}

/** Parses an awsJson request body; an empty body is `{}` like the services treat it. */
async function readJsonInput(request: IncomingMessage): Promise<unknown> {
  const body = (await readBody(request)).toString('utf8').trim();
  if (body === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new AwsServiceError('SerializationException', 'Request body is not valid JSON.');
  }
}

/** The JSON protocols send timestamps as epoch seconds (fractional allowed), not ISO strings. */
function toWireJson(output: unknown): string {
  return JSON.stringify(output, function replacer(this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : value;
  });
}

function writeJson(response: ServerResponse, statusCode: number, contentType: string, body: string, extraHeaders: Record<string, string> = {}): void {
  response.writeHead(statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...extraHeaders,
  });
  response.end(body);
}

function writeOutput(response: ServerResponse, contentType: string, output: unknown): void {
  writeJson(response, 200, contentType, toWireJson(output ?? {}));
}

/** The shape AWS JSON services answer errors with; the SDK reads `__type` / `x-amzn-ErrorType` for the exception name. */
function writeError(response: ServerResponse, contentType: string, error: AwsServiceError): void {
  const headers: Record<string, string> = { 'x-amzn-errortype': error.code };
  if (error.queryErrorCode !== undefined) {
    headers['x-amzn-query-error'] = `${error.queryErrorCode};${error.statusCode >= 500 ? 'Receiver' : 'Sender'}`;
  }
  writeJson(response, error.statusCode, contentType, JSON.stringify({ __type: error.code, message: error.message }), headers);
}

export { readJsonInput, toWireJson, writeError, writeOutput };
