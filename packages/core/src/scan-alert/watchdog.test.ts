import { describe, expect, it } from 'vitest';
import { detectSilentScanning } from './watchdog.js';

const at = (iso: string): Date => new Date(iso);
const NOW = at('2026-05-04T12:00:00Z');

describe('detectSilentScanning', () => {
  it.each([
    ['a push 25 h ago with no scan since is silent', { lastPushAt: at('2026-05-03T11:00:00Z') }, { silent: true, sincePush: 25 }],
    ['a scan older than the push does not count', { lastPushAt: at('2026-05-03T11:00:00Z'), lastScanAt: at('2026-05-03T10:00:00Z') }, { silent: true, sincePush: 25 }],
    ['a scan after the push is not silent', { lastPushAt: at('2026-05-03T11:00:00Z'), lastScanAt: at('2026-05-03T11:05:00Z') }, { silent: false, sincePush: 25 }],
    ['a push 23 h ago is still within the window', { lastPushAt: at('2026-05-03T13:00:00Z') }, { silent: false, sincePush: 23 }],
    ['exactly 24 h is not yet more than 24 h', { lastPushAt: at('2026-05-03T12:00:00Z') }, { silent: false, sincePush: 24 }],
    ['no push at all is not silent', { lastScanAt: at('2026-05-01T00:00:00Z') }, { silent: false }],
  ])('%s', (_label, times, expected) => {
    // Act
    const result = detectSilentScanning({ ...times, now: NOW, silentAfterHours: 24 });

    // Assess
    expect(result).toEqual(expected);
  });

  it('uses the configured window', () => {
    // Act
    const result = detectSilentScanning({ lastPushAt: at('2026-05-04T09:00:00Z'), now: NOW, silentAfterHours: 2 });

    // Assess
    expect(result).toEqual({ silent: true, sincePush: 3 });
  });
});
