import * as z from 'zod';
import { DOCKER_HUB_DEFAULT_DOMAIN, DOCKER_HUB_OFFICIAL_NAMESPACE, NAME_TOTAL_LENGTH_MAX, REFERENCE_INPUT_MAX } from './constants.js';
import { TAG_PATTERN } from '../tag-policy/tag-schemes.js';
import { InvalidImageReferenceError } from './errors.js';

/*
 * The distribution reference grammar (github.com/distribution/reference, the one docker, containerd, the kubelet
 * and Kyverno parse image names with), normalised as `docker pull` normalises:
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component { "/" path-component }
 *   domain    := host [ ":" port ]   (host: DNS labels separated by ".", or an IPv6 address in brackets)
 *
 * The first component is a domain only if it holds a "." or a ":", is "localhost", or has an uppercase letter;
 * otherwise the name is on Docker Hub (`docker.io`), and a one-component Docker Hub name is an official image
 * under `library/`. `index.docker.io` is Docker Hub's legacy name.
 *
 * Hand-written rather than taken from npm: the ports of this grammar there (@swimlane/docker-reference and others)
 * are years without a release and answer every error with one generic message, while the CLI must say exactly what
 * is wrong (an uppercase repository, an empty tag, a bad digest).
 */

const LEGACY_DOCKER_HUB_DOMAIN = 'index.docker.io';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
/** The grammar's digest (algorithm ":" at least 32 hex digits); the registered algorithms' lengths are checked after. */
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** The algorithms go-digest (which validates the grammar's digests) knows: lowercase hex of exactly this many digits. */
const DIGEST_HEX_LENGTH = { sha256: 64, sha384: 96, sha512: 128 } as const;
/** A bare 64-digit hex string is an image ID, which ParseNormalizedNamed refuses as a name. */
const IMAGE_ID = /^[a-f0-9]{64}$/;

const ParsedReferenceSchema = z.object({
  /** As typed. */
  input: z.string(),
  /** The registry host (and port), normalised: `docker.io` for Docker Hub however it was written. */
  registry: z.string().min(1),
  /** The repository path on that registry, with `library/` for Docker Hub official images. */
  path: z.string().min(1),
  tag: z.string().optional(),
  digest: z.string().optional(),
});
type ParsedReference = z.infer<typeof ParsedReferenceSchema>;

const isDomain = (candidate: string): boolean => {
  const colon = candidate.startsWith('[') ? candidate.indexOf(':', candidate.indexOf(']')) : candidate.indexOf(':');
  const host = colon === -1 ? candidate : candidate.slice(0, colon);
  const port = colon === -1 ? undefined : candidate.slice(colon + 1);
  if (port !== undefined && !PORT.test(port)) return false;
  return IPV6_HOST.test(host) || host.split('.').every((label) => DOMAIN_LABEL.test(label));
};

const checkDigest = (input: string, digest: string): void => {
  const fix = 'write it as sha256:<64 lowercase hex digits>';
  if (digest === '') throw new InvalidImageReferenceError(input, `the digest after "@" is empty; ${fix}`);
  if (!DIGEST.test(digest)) throw new InvalidImageReferenceError(input, `invalid digest "${digest}"; ${fix}`);
  const [algorithm = '', hex = ''] = digest.split(':');
  const length = (DIGEST_HEX_LENGTH as Record<string, number>)[algorithm];
  if (length === undefined) throw new InvalidImageReferenceError(input, `invalid digest "${digest}": unsupported algorithm "${algorithm}"; ${fix}`);
  if (hex.length !== length || hex !== hex.toLowerCase()) {
    throw new InvalidImageReferenceError(input, `invalid digest "${digest}": ${algorithm} takes exactly ${length} lowercase hex digits, not ${hex.length}`);
  }
};

const checkPath = (input: string, path: string): void => {
  if (path.toLowerCase() !== path) {
    throw new InvalidImageReferenceError(input, `repository "${path}" must be lowercase (write "${path.toLowerCase()}")`);
  }
  for (const component of path.split('/')) {
    if (component === '') throw new InvalidImageReferenceError(input, `repository "${path}" has an empty path component (a doubled or trailing "/")`);
    if (!PATH_COMPONENT.test(component)) {
      throw new InvalidImageReferenceError(
        input,
        `repository path component "${component}" must be lowercase letters and digits, separated by one ".", one or two "_", or "-"s`,
      );
    }
  }
};

/**
 * Parses an image reference as a container runtime does (`nginx:1.27` is `docker.io/library/nginx:1.27`).
 * A reference without tag or digest keeps neither: the caller decides what "latest" means for it.
 */
const parseDistributionReference = (input: string): ParsedReference => {
  if (input.trim() === '') throw new InvalidImageReferenceError(input, 'it is empty');
  if (input.length > REFERENCE_INPUT_MAX) throw new InvalidImageReferenceError(`${input.slice(0, 40)}...`, `it is ${input.length} characters long; at most ${REFERENCE_INPUT_MAX}`);
  if (/\s/.test(input)) throw new InvalidImageReferenceError(input, 'it contains whitespace');

  if (IMAGE_ID.test(input)) throw new InvalidImageReferenceError(input, 'a 64-digit hex string is an image ID, not a repository name');

  const at = input.indexOf('@');
  const digest = at === -1 ? undefined : input.slice(at + 1);
  if (digest !== undefined) checkDigest(input, digest);
  const beforeDigest = at === -1 ? input : input.slice(0, at);

  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/');
  const tag = hasTag ? beforeDigest.slice(colon + 1) : undefined;
  const name = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;
  if (tag === '') throw new InvalidImageReferenceError(input, 'the tag after ":" is empty; drop the ":" or name a tag');
  if (tag !== undefined && !TAG_PATTERN.test(tag)) {
    throw new InvalidImageReferenceError(input, `tag "${tag}" must be 1-128 letters, digits, _ . - (not starting with . or -)`);
  }
  if (name === '') throw new InvalidImageReferenceError(input, 'the repository name is missing');

  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const firstIsDomain = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let registry = firstIsDomain ? first : DOCKER_HUB_DEFAULT_DOMAIN;
  let path = firstIsDomain ? name.slice(slash + 1) : name;
  if (firstIsDomain && !isDomain(first)) throw new InvalidImageReferenceError(input, `registry "${first}" is not a host name (with an optional :port)`);
  if (registry.toLowerCase() === LEGACY_DOCKER_HUB_DOMAIN) registry = DOCKER_HUB_DEFAULT_DOMAIN;
  checkPath(input, path);
  if (registry === DOCKER_HUB_DEFAULT_DOMAIN && !path.includes('/')) path = `${DOCKER_HUB_OFFICIAL_NAMESPACE}/${path}`;
  if (`${registry}/${path}`.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidImageReferenceError(input, `the name "${registry}/${path}" is longer than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }

  return ParsedReferenceSchema.parse({ input, registry, path, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) });
};

/** `registry/path[:tag][@digest]`, the fully qualified form (`docker.io/library/nginx:1.27`). */
const formatImageReference = (reference: Pick<ParsedReference, 'registry' | 'path' | 'tag' | 'digest'>): string =>
  `${reference.registry}/${reference.path}${reference.tag === undefined ? '' : `:${reference.tag}`}${reference.digest === undefined ? '' : `@${reference.digest}`}`;

export { formatImageReference, parseDistributionReference, ParsedReferenceSchema };
export type { ParsedReference };
