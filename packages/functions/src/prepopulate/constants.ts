/** Blob downloads at once per upstream: enough to fill the pipe, few enough not to trip upstream rate limits. */
const BLOB_CONCURRENCY_PER_UPSTREAM = 4;

/** An ECR registry token is renewed this long before it expires, so it never lapses during a long warm. */
const TOKEN_RENEWAL_MARGIN_MS = 15 * 60 * 1000;

export { BLOB_CONCURRENCY_PER_UPSTREAM, TOKEN_RENEWAL_MARGIN_MS };
