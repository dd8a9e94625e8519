/** Blob downloads at once per upstream: enough to fill the pipe, few enough not to trip upstream rate limits. */
const BLOB_CONCURRENCY_PER_UPSTREAM = 4;

export { BLOB_CONCURRENCY_PER_UPSTREAM };
