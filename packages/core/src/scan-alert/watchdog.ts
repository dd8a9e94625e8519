const HOUR_MS = 60 * 60 * 1000;

interface SilentScanningInput {
  /** The last push of an image that should be scanned. */
  lastPushAt?: Date;
  /** The last scan result (ECR Image Scan, Inspector2 Scan or Finding) received. */
  lastScanAt?: Date;
  now: Date;
  /** scanAlerts.watchdog.silentAfterHours (default 24). */
  silentAfterHours: number;
}

interface SilentScanning {
  silent: boolean;
  /** Whole hours since the last push, when there was one. */
  sincePush?: number;
}

/**
 * Scanning is silent when an image was pushed more than `silentAfterHours` ago and no scan result has
 * arrived since that push: scan-on-push switched off, Inspector coverage lost, or the rule broken.
 * A result at the same instant as the push counts as after it.
 */
const detectSilentScanning = (input: SilentScanningInput): SilentScanning => {
  const { lastPushAt, lastScanAt, now, silentAfterHours } = input;
  if (!lastPushAt) return { silent: false };
  const elapsedMs = now.getTime() - lastPushAt.getTime();
  const sincePush = Math.max(0, Math.floor(elapsedMs / HOUR_MS));
  const scannedSincePush = lastScanAt !== undefined && lastScanAt.getTime() >= lastPushAt.getTime();
  return { silent: !scannedSincePush && elapsedMs > silentAfterHours * HOUR_MS, sincePush };
};

export { detectSilentScanning };
export type { SilentScanning, SilentScanningInput };
