import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

/** An ECR registry token is renewed this long before it expires, so it never lapses during a long warm. */
const TOKEN_RENEWAL_MARGIN_MS = 15 * 60 * 1000;

/** A registry to pull from: its root URL and, when it needs them, Basic credentials. */
type RegistryEndpoint = {
  baseUrl: string;
  credentials?: { username: string; password: string };
  /** When the credentials stop working; absent for static ones. */
  expiresAt?: Date;
};

/** The current endpoint; implementations cache and renew credentials. */
type RegistryEndpointProvider = () => Promise<RegistryEndpoint>;

type EcrRegistryEndpointOptions = {
  /** Defaults to a client for `region` (or the environment's Region). */
  client?: ECRClient;
  region?: string;
  clock?: () => Date;
  renewalMarginMs?: number;
};

class EcrAuthorizationError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'EcrAuthorizationError';
  }
}

/**
 * ECR's registry endpoint, logged in with GetAuthorizationToken: the token is base64 `AWS:<password>`,
 * `proxyEndpoint` is the registry URL. The token (valid 12 hours, less with temporary credentials) is reused
 * until shortly before it expires: many workers logging in at once get throttled (ecr-pitfalls 17).
 */
const createEcrRegistryEndpoint = ({
  region,
  client = new ECRClient(region === undefined ? {} : { region }),
  clock = () => new Date(),
  renewalMarginMs = TOKEN_RENEWAL_MARGIN_MS,
}: EcrRegistryEndpointOptions = {}): RegistryEndpointProvider => {
  let cached: RegistryEndpoint | undefined;
  let pending: Promise<RegistryEndpoint> | undefined;
  const login = async (): Promise<RegistryEndpoint> => {
    const response = await client.send(new GetAuthorizationTokenCommand({}));
    const data = response.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) {
      throw new EcrAuthorizationError('ECR GetAuthorizationToken returned no token or no proxyEndpoint');
    }
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator <= 0) throw new EcrAuthorizationError('ECR authorization token is not base64 "<user>:<password>"');
    return {
      baseUrl: data.proxyEndpoint,
      credentials: { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) },
      ...(data.expiresAt ? { expiresAt: data.expiresAt } : {}),
    };
  };
  const fresh = (endpoint: RegistryEndpoint): boolean =>
    endpoint.expiresAt === undefined || endpoint.expiresAt.getTime() - renewalMarginMs > clock().getTime();
  return async () => {
    if (cached && fresh(cached)) return cached;
    // Concurrent callers share one login instead of each asking for a token.
    pending ??= login().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached;
  };
};

/** A fixed endpoint (a local registry, or credentials given on the command line). */
const staticRegistryEndpoint = (endpoint: RegistryEndpoint): RegistryEndpointProvider => async () => endpoint;

export { createEcrRegistryEndpoint, EcrAuthorizationError, staticRegistryEndpoint, TOKEN_RENEWAL_MARGIN_MS };
export type { EcrRegistryEndpointOptions, RegistryEndpoint, RegistryEndpointProvider };
