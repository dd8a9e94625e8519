import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-signed, expiring tokens: the registry password GetAuthorizationToken hands out and the
 * layer download URLs of GetDownloadUrlForLayer (ECR's are S3 presigned URLs). Stateless, so the
 * registry front can verify a token without a lookup.
 */

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `<expiresAtMs>.<signature>` */
function createRegistryPassword(secret: string, expiresAtMs: number): string {
  return `${expiresAtMs}.${sign(secret, `registry:${expiresAtMs}`)}`;
}

/**
 * Checks an HTTP `Authorization` header against this ECR's tokens: `Basic base64(AWS:<password>)`
 * as docker/skopeo send after `docker login`, or the raw base64 `authorizationToken` itself.
 */
function verifyAuthorizationToken(header: string | undefined, secret: string, nowMs: number): boolean {
  if (header === undefined) return false;
  const encoded = header.replace(/^Basic\s+/i, '').trim();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0 || decoded.slice(0, separator) !== 'AWS') return false;
  const [expires = '', signature = ''] = decoded.slice(separator + 1).split('.', 2);
  const expiresAtMs = Number(expires);
  return Number.isSafeInteger(expiresAtMs) && expiresAtMs > nowMs && safeEqual(signature, sign(secret, `registry:${expires}`));
}

function layerSignature(secret: string, repository: string, digest: string, expiresAtMs: number): string {
  return sign(secret, `layer:${repository}\n${digest}\n${expiresAtMs}`);
}

function isValidLayerSignature(secret: string, repository: string, digest: string, query: URLSearchParams, nowMs: number): boolean {
  const expiresAtMs = Number(query.get('expires'));
  const signature = query.get('sig') ?? '';
  return Number.isSafeInteger(expiresAtMs) && expiresAtMs > nowMs && safeEqual(signature, layerSignature(secret, repository, digest, expiresAtMs));
}

export { createRegistryPassword, isValidLayerSignature, layerSignature, verifyAuthorizationToken };
