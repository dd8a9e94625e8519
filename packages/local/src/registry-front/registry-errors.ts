import type { ServerResponse } from 'node:http';

/** One OCI Distribution error, as the JSON body `{"errors":[...]}` carries it. */
interface RegistryErrorBody {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

const API_VERSION_HEADER = { 'Docker-Distribution-API-Version': 'registry/2.0' } as const;

function sendRegistryError(response: ServerResponse, error: RegistryErrorBody, method: string): void {
  const body = JSON.stringify({ errors: [{ code: error.code, message: error.message }] });
  response.writeHead(error.status, {
    ...API_VERSION_HEADER,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...error.headers,
  });
  response.end(method === 'HEAD' ? undefined : body);
}

/** ECR's message for pushes and pulls naming a repository the registry does not have. */
function repositoryNotFound(name: string, account: string): RegistryErrorBody {
  return { status: 404, code: 'NAME_UNKNOWN', message: `The repository with name '${name}' does not exist in the registry with id '${account}'` };
}

/** ECR-GUESS: the registry API's answer to an immutable tag overwrite is not documented; this is what docker push shows. */
function immutableTag(tag: string, repository: string): RegistryErrorBody {
  return {
    status: 400,
    code: 'TAG_INVALID',
    message: `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
  };
}

/** What docker shows for a missing ECR image: "manifest unknown: Requested image not found". */
function imageNotFound(): RegistryErrorBody {
  return { status: 404, code: 'MANIFEST_UNKNOWN', message: 'Requested image not found' };
}

/** ECR-GUESS: ECR documents a 404 for a pull of an archived image, not its code or wording. */
function archivedImage(): RegistryErrorBody {
  return { status: 404, code: 'MANIFEST_UNKNOWN', message: 'Requested image is archived; restore it (UpdateImageStorageClass to STANDARD) before pulling' };
}

/** A pull-through-cache namespace only serves upstream content, like Distribution in proxy mode. */
function cacheIsReadOnly(prefix: string): RegistryErrorBody {
  return {
    status: 405,
    code: 'UNSUPPORTED',
    message: `Repositories under '${prefix}/' are a pull-through cache and accept no pushes or deletes; push to a repository outside the '${prefix}/' prefix.`,
  };
}

/** ECR-GUESS: ECR's wording for a rejected token is not documented; code and status follow the distribution spec. */
function invalidToken(realm: string): RegistryErrorBody {
  return {
    status: 401,
    code: 'DENIED',
    message: 'Your authorization token is invalid or has expired. Get a new one with `aws ecr get-login-password` (GetAuthorizationToken on the local endpoint) and log in again.',
    headers: { 'WWW-Authenticate': `Basic realm="${realm}",service="ecr.amazonaws.com"` },
  };
}

function tooManyRequests(retryAfterSeconds: number): RegistryErrorBody {
  return { status: 429, code: 'TOOMANYREQUESTS', message: 'Rate exceeded', headers: { 'Retry-After': String(retryAfterSeconds) } };
}

function manifestTooLarge(limit: number): RegistryErrorBody {
  return { status: 400, code: 'MANIFEST_INVALID', message: `manifest invalid: the manifest is larger than ${limit} bytes, ECR's limit` };
}

function backendUnavailable(what: string): RegistryErrorBody {
  return { status: 503, code: 'UNAVAILABLE', message: `The local ${what} registry is not reachable; is the local stack still running?` };
}

export {
  archivedImage,
  API_VERSION_HEADER,
  backendUnavailable,
  cacheIsReadOnly,
  imageNotFound,
  immutableTag,
  invalidToken,
  manifestTooLarge,
  repositoryNotFound,
  sendRegistryError,
  tooManyRequests,
};
export type { RegistryErrorBody };
