import { AwsServiceError } from './aws-service-error.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';

/**
 * Per-action request rates of the local ECR API, so that the workers meet ECR's throttling locally: past its
 * rate an action answers HTTP 400 `ThrottlingException: Rate exceeded`, as ECR does (the AWS JSON protocol's
 * `__type`; the SDK's standard and adaptive retry modes classify it as throttling and back off).
 *
 * Source: "Amazon ECR service quotas", https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
 * (read 2026-12-05): per account and Region, adjustable. ECR publishes rates only for the image push/pull
 * actions; every other action (DescribeRepositories, GetRepositoryPolicy, SetRepositoryPolicy,
 * PutLifecyclePolicy, DescribeImages, BatchDeleteImage, ...) has a rate ECR does not publish, so the local
 * stack guesses one (ECR-GUESS, `source: 'guess'` below) and says so in docs/local-stack.md.
 */

type RateSource = 'documented' | 'guess';

interface ActionRate {
  /** Sustained requests per second per account and Region. */
  perSecond: number;
  source: RateSource;
}

/** Date the quota page was read; docs/operations.md and docs/local-stack.md quote it. */
const ECR_QUOTAS_READ_ON = '2026-12-05';
const ECR_QUOTAS_URL = 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html';

/**
 * ECR-GUESS: the rate of every action ECR publishes none for. 100/s is the lowest rate ECR documents for an
 * API action other than PutImage (InitiateLayerUpload, CompleteLayerUpload); ECR's support answers and the
 * SDK issues only say "Describe* throttle low". Change it here (or per action below) when AWS publishes more.
 */
const UNDOCUMENTED_ACTION_RATE = 100;

const documented = (perSecond: number): ActionRate => ({ perSecond, source: 'documented' });
const guessed: ActionRate = { perSecond: UNDOCUMENTED_ACTION_RATE, source: 'guess' };

/** The one table of ECR request rates (requests per second, per account and Region). */
const ECR_ACTION_RATES = {
  // Documented ("Rate of <Action> requests", service-quotas.html).
  BatchCheckLayerAvailability: documented(1_000),
  BatchGetImage: documented(2_000),
  CompleteLayerUpload: documented(100),
  GetAuthorizationToken: documented(500),
  GetDownloadUrlForLayer: documented(3_000),
  InitiateLayerUpload: documented(100),
  PutImage: documented(10),
  UploadLayerPart: documented(500),
  // ECR-GUESS: not published.
  BatchDeleteImage: guessed,
  CreateRepository: guessed,
  DeleteLifecyclePolicy: guessed,
  DeleteRepository: guessed,
  DeleteRepositoryPolicy: guessed,
  DescribeImageScanFindings: guessed,
  DescribeImages: guessed,
  DescribePullThroughCacheRules: guessed,
  DescribeRepositories: guessed,
  GetLifecyclePolicy: guessed,
  GetRepositoryPolicy: guessed,
  ListImages: guessed,
  PutImageScanningConfiguration: guessed,
  PutImageTagMutability: guessed,
  PutLifecyclePolicy: guessed,
  SetRepositoryPolicy: guessed,
} as const satisfies Record<string, ActionRate>;

/**
 * A token bucket: `perSecond` tokens a second, at most `capacity` saved up. ECR-GUESS: ECR documents a single
 * sustained rate per action (it dropped separate burst quotas in 2020), so the bucket holds one second's worth.
 */
class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  public constructor(
    private readonly perSecond: number,
    private readonly capacity: number,
    private readonly clock: Clock,
  ) {
    this.tokens = capacity;
    this.updatedAt = clock.now();
  }

  /** Takes one token when there is one; false means the request is over the rate. */
  public tryTake(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface ActionCounts {
  allowed: number;
  throttled: number;
}

interface RequestThrottleOptions {
  rates?: Readonly<Record<string, ActionRate>>;
  clock?: Clock;
}

/** One token bucket per action, from a rate table; actions not in the table are never throttled. */
class RequestThrottle {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly counts = new Map<string, ActionCounts>();

  public constructor(options: RequestThrottleOptions = {}) {
    const clock = options.clock ?? systemClock;
    for (const [action, rate] of Object.entries(options.rates ?? ECR_ACTION_RATES)) {
      this.buckets.set(action, new TokenBucket(rate.perSecond, rate.perSecond, clock));
    }
  }

  /** Admits the request or throws ECR's throttling error; counts both per action. */
  public admit(action: string): void {
    const bucket = this.buckets.get(action);
    const admitted = bucket === undefined || bucket.tryTake();
    const counts = this.counts.get(action) ?? { allowed: 0, throttled: 0 };
    if (admitted) counts.allowed += 1;
    else counts.throttled += 1;
    this.counts.set(action, counts);
    if (!admitted) throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
  }

  /** Requests admitted and throttled per action since the start (the benchmark prints them). */
  public stats(): Record<string, ActionCounts> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([action, counts]) => [action, { ...counts }]));
  }
}

export { ECR_ACTION_RATES, ECR_QUOTAS_READ_ON, ECR_QUOTAS_URL, RequestThrottle, TokenBucket, UNDOCUMENTED_ACTION_RATE };
export type { ActionCounts, ActionRate, RateSource, RequestThrottleOptions };
