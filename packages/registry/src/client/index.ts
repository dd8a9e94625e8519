export { RegistryClient } from './client.js';
export type { ManifestHead, ManifestResult, RegistryClientOptions } from './client.js';
export type { BlobBody } from './transport.js';
export { RegistryError, RegistryErrorCode } from './errors.js';
export type { RegistryErrorDetail, RegistryRequestInfo } from './errors.js';
export { parseRetryAfter } from './retry.js';
export type { RetryOptions } from './retry.js';
export { parseWwwAuthenticate } from './www-authenticate.js';
export type { AuthChallenge } from './www-authenticate.js';
// The manifest helpers callers of the client need most, re-exported for one-stop imports.
export { manifestReferences, selectPlatformManifests } from '../manifest/index.js';
