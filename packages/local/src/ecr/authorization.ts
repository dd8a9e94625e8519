import type { EcrState } from './ecr-state.js';
import { createRegistryPassword, verifyAuthorizationToken as verifySignedToken } from './signed-tokens.js';

/** Registry credentials: GetAuthorizationToken issues them, the registry front checks them. */

const TOKEN_VALIDITY_MS = 12 * 60 * 60 * 1000;

function getAuthorizationToken(ecr: Pick<EcrState, 'secret' | 'clock' | 'registryFrontUrl'>): object {
  const expiresAtMs = ecr.clock.now() + TOKEN_VALIDITY_MS;
  const password = createRegistryPassword(ecr.secret, expiresAtMs);
  return {
    authorizationData: [{ authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'), expiresAt: new Date(expiresAtMs), proxyEndpoint: ecr.registryFrontUrl }],
  };
}

/** Checks a registry `Authorization` header against the tokens GetAuthorizationToken issued. */
function verifyAuthorizationToken(ecr: Pick<EcrState, 'secret' | 'clock'>, header: string | undefined): boolean {
  return verifySignedToken(header, ecr.secret, ecr.clock.now());
}

export { getAuthorizationToken, verifyAuthorizationToken };
