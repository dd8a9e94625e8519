/**
 * Error codes of the OCI Distribution spec (plus TOOMANYREQUESTS, which Docker Hub and ECR send) and the
 * client-side failures this client reports.
 */
const RegistryErrorCode = {
  BlobUnknown: 'BLOB_UNKNOWN',
  BlobUploadInvalid: 'BLOB_UPLOAD_INVALID',
  BlobUploadUnknown: 'BLOB_UPLOAD_UNKNOWN',
  DigestInvalid: 'DIGEST_INVALID',
  ManifestBlobUnknown: 'MANIFEST_BLOB_UNKNOWN',
  ManifestInvalid: 'MANIFEST_INVALID',
  ManifestUnknown: 'MANIFEST_UNKNOWN',
  NameInvalid: 'NAME_INVALID',
  NameUnknown: 'NAME_UNKNOWN',
  SizeInvalid: 'SIZE_INVALID',
  TagInvalid: 'TAG_INVALID',
  Unauthorized: 'UNAUTHORIZED',
  Denied: 'DENIED',
  Unsupported: 'UNSUPPORTED',
  TooManyRequests: 'TOOMANYREQUESTS',
  PaginationNumberInvalid: 'PAGINATION_NUMBER_INVALID',
  /** Content did not hash to the digest it was fetched by. */
  DigestMismatch: 'DIGEST_MISMATCH',
  /** Content length differs from the expected or announced size. */
  SizeMismatch: 'SIZE_MISMATCH',
  /** The registry answered with something this client cannot use (bad JSON, missing header...). */
  InvalidResponse: 'INVALID_RESPONSE',
  /** No HTTP response at all (connection refused, reset, DNS). */
  NetworkError: 'NETWORK_ERROR',
  /** An HTTP error without an OCI error body. */
  Unknown: 'UNKNOWN',
} as const;
type RegistryErrorCode = (typeof RegistryErrorCode)[keyof typeof RegistryErrorCode];

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(RegistryErrorCode));

interface RegistryErrorDetail {
  code: string;
  message?: string;
  detail?: unknown;
}

interface RegistryRequestInfo {
  method: string;
  /** Without the query string: upload URLs carry opaque state that only adds noise. */
  url: string;
}

class RegistryError extends Error {
  public readonly status: number | undefined;
  /** The first OCI error code, or a client-side code. Unknown registry codes are kept as sent. */
  public readonly code: RegistryErrorCode | (string & {});
  public readonly request: RegistryRequestInfo;
  public readonly errors: readonly RegistryErrorDetail[];

  public constructor(init: {
    message: string;
    code: RegistryErrorCode | (string & {});
    request: RegistryRequestInfo;
    status?: number;
    errors?: readonly RegistryErrorDetail[];
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'RegistryError';
    this.status = init.status;
    this.code = init.code;
    this.request = init.request;
    this.errors = init.errors ?? [];
  }
}

function requestInfo(method: string, url: string | URL): RegistryRequestInfo {
  const parsed = new URL(url);
  return { method, url: `${parsed.origin}${parsed.pathname}` };
}

function codeForStatus(status: number): RegistryErrorCode {
  if (status === 401) return RegistryErrorCode.Unauthorized;
  if (status === 403) return RegistryErrorCode.Denied;
  if (status === 429) return RegistryErrorCode.TooManyRequests;
  return RegistryErrorCode.Unknown;
}

function parseErrorBody(text: string): RegistryErrorDetail[] {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return [];
    return body.errors.flatMap((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null || !('code' in entry) || typeof entry.code !== 'string') return [];
      const message = 'message' in entry && typeof entry.message === 'string' ? entry.message : undefined;
      const detail = 'detail' in entry ? entry.detail : undefined;
      return [{ code: entry.code, ...(message === undefined ? {} : { message }), ...(detail === undefined ? {} : { detail }) }];
    });
  } catch {
    return [];
  }
}

/** Turns an unexpected HTTP response into a RegistryError, reading the OCI error body when there is one. */
/** What an error report reads of a response: a fetch Response or the client's transport response. */
interface ErrorResponse {
  readonly status: number;
  readonly statusText: string;
  text: () => Promise<string>;
}

async function registryErrorFromResponse(response: ErrorResponse, method: string, url: string | URL, context: string): Promise<RegistryError> {
  const text = method === 'HEAD' ? '' : await response.text().catch(() => '');
  const errors = parseErrorBody(text);
  const first = errors[0];
  const code = first?.code ?? codeForStatus(response.status);
  const request = requestInfo(method, url);
  const said = first?.message ?? (text.trim().slice(0, 200) || response.statusText);
  const knownHint = KNOWN_CODES.has(code) ? code : `registry code ${code}`;
  return new RegistryError({
    message: `${context}: ${request.method} ${request.url} answered ${response.status} ${knownHint}${said ? ` (${said})` : ''}`,
    code,
    status: response.status,
    request,
    errors,
  });
}

export { codeForStatus, parseErrorBody, RegistryError, RegistryErrorCode, registryErrorFromResponse, requestInfo };
export type { RegistryErrorDetail, RegistryRequestInfo };
