/**
 * The prices the cost line uses, US East (N. Virginia), as docs/operations.md ("Scale and cost") cites them with
 * the date they were read. Update both together. AWS's own pricing pages render their rates client-side, so
 * each rate is cited from a dated page that transcribes it.
 */
const PRICES = {
  region: 'us-east-1',
  readOn: '2026-12-05',
  lambda: {
    /** Per request (per invocation), both architectures. */
    perRequest: 0.2 / 1_000_000,
    /** Arm (Graviton), first 7.5 billion GB-s a month; the workers run on arm64 (topology WORKER_RUNTIME). */
    perGbSecondArm64: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ as transcribed by https://cloudchipr.com/blog/aws-lambda-pricing',
  },
  sqs: {
    /** Standard queue, per request (each 64 KB chunk of a payload is a request), first 100 billion a month. */
    perRequest: 0.4 / 1_000_000,
    source: 'https://cloudburn.io/blog/amazon-sqs-pricing (prices as of March 2026)',
  },
  eventBridge: {
    /** Custom events put on a bus (Dockmaster's own events); AWS service events on the default bus are free. */
    perCustomEvent: 1 / 1_000_000,
    source: 'https://cloudburn.io/blog/amazon-eventbridge-pricing (prices as of March 2026)',
  },
} as const;

export { PRICES };
