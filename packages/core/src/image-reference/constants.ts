/*
 * Vocabulary of image-reference rewriting: the distribution reference grammar's defaults and bounds, the
 * outcomes of a rewrite and the formats `render-rewrite` prints.
 */

/** What a name without a registry means (distribution/reference: `nginx` is `docker.io/library/nginx`). */
const DOCKER_HUB_DEFAULT_DOMAIN = 'docker.io';
/** Docker Hub keeps its official images under this namespace; a one-component name there gets it. */
const DOCKER_HUB_OFFICIAL_NAMESPACE = 'library';
/** The tag a reference without a tag or digest pulls. */
const DEFAULT_TAG = 'latest';
/** distribution/reference's NameTotalLengthMax: the name (registry and path) is at most this long. */
const NAME_TOTAL_LENGTH_MAX = 255;
/** ECR's repository name limit (API model): the prefixed path must fit. */
const ECR_REPOSITORY_NAME_MAX = 256;
/** Bounds the work on hostile input before any pattern runs: a reference longer than this is rejected outright. */
const REFERENCE_INPUT_MAX = 1024;

/** What `rewrite-image` did with one reference. */
const RewriteOutcome = {
  /** Now names the cache: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<path>`. */
  Rewritten: 'rewritten',
  /** Already in the account's registry: printed as given. */
  Unchanged: 'unchanged',
  /** Its registry has no cache prefix in the configuration. */
  NoPrefix: 'no-prefix',
  /** A `copy` prefix covers the registry but never copied this image, tag or digest (not in its allow-list). */
  NotCopied: 'not-copied',
  /** The cache repository would be longer than ECR allows. */
  TooLong: 'too-long',
  /** Not a valid reference. */
  Invalid: 'invalid',
} as const;
type RewriteOutcome = (typeof RewriteOutcome)[keyof typeof RewriteOutcome];

/** The formats `render-rewrite` prints. */
const RENDER_REWRITE_FORMATS = ['kyverno', 'renovate'] as const;
type RenderRewriteFormat = (typeof RENDER_REWRITE_FORMATS)[number];

/** The Pod fields that hold containers, each with an image the policy rewrites. */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
type ContainerList = (typeof CONTAINER_LISTS)[number];

export {
  CONTAINER_LISTS,
  DEFAULT_TAG,
  DOCKER_HUB_DEFAULT_DOMAIN,
  DOCKER_HUB_OFFICIAL_NAMESPACE,
  ECR_REPOSITORY_NAME_MAX,
  NAME_TOTAL_LENGTH_MAX,
  REFERENCE_INPUT_MAX,
  RENDER_REWRITE_FORMATS,
  RewriteOutcome,
};
export type { ContainerList, RenderRewriteFormat };
