import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertIdempotencyKey, dedupeKeyFor, resolvedIdempotencyKey, scanEventIdempotencyKey } from './dedupe.js';
import { DIGEST, imageScanSubject, inspectorFindingSubject, OTHER_DIGEST } from './fixtures/subjects.js';

describe('dedupeKeyFor', () => {
  it('is the same for any order and repetition of the same finding keys', () => {
    const keysAndPermutation = fc
      .uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 20 })
      .chain((keys) => fc.tuple(fc.constant(keys), fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length })));
    fc.assert(
      fc.property(keysAndPermutation, ([keys, permutation]) => {
        // Prepare
        const repeated = [...permutation, ...keys.slice(0, 3)];

        // Act
        const original = dedupeKeyFor(DIGEST, keys);
        const other = dedupeKeyFor(DIGEST, repeated);

        // Assess
        expect(other).toBe(original);
      }),
    );
  });

  it('differs for another digest, another finding, or the same id in another package', () => {
    // Act
    const keys = [
      dedupeKeyFor(DIGEST, ['CVE-2024-1|openssl']),
      dedupeKeyFor(OTHER_DIGEST, ['CVE-2024-1|openssl']),
      dedupeKeyFor(DIGEST, ['CVE-2024-2|openssl']),
      dedupeKeyFor(DIGEST, ['CVE-2024-1|libssl3']),
    ];

    // Assess
    expect(new Set(keys).size).toBe(4);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('idempotency keys', () => {
  it('alertIdempotencyKey and resolvedIdempotencyKey depend on what is sent', () => {
    // Act
    const alertKey = alertIdempotencyKey({ dedupeKey: 'abc' });
    const resolvedA = resolvedIdempotencyKey({ digest: DIGEST, resolvedFindings: [{ id: 'CVE-1', package: 'a' }, { id: 'CVE-2', package: 'b' }] });
    const resolvedB = resolvedIdempotencyKey({ digest: DIGEST, resolvedFindings: [{ id: 'CVE-2', package: 'b' }, { id: 'CVE-1', package: 'a' }] });
    const resolvedC = resolvedIdempotencyKey({ digest: DIGEST, resolvedFindings: [{ id: 'CVE-1', package: 'a' }] });

    // Assess
    expect(alertKey).toBe('scan-alert:abc');
    expect(resolvedA).toBe(resolvedB);
    expect(resolvedA).not.toBe(resolvedC);
  });

  it('gives an Inspector finding re-emitted with new timestamps the same key, and a status change another', () => {
    // Prepare
    const original = inspectorFindingSubject();
    const reEmitted = inspectorFindingSubject({ updatedAt: 'Fri Sep 06 09:00:00.000 UTC 2024' });
    const closed = inspectorFindingSubject({ status: 'CLOSED' });

    // Act
    const keys = [original, reEmitted, closed].map((subject, index) => scanEventIdempotencyKey(subject, `event-${index}`));

    // Assess
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('keys scans by event id, so a later re-scan of the same image is evaluated again', () => {
    // Prepare
    const subject = imageScanSubject();

    // Act
    const redelivered = [scanEventIdempotencyKey(subject, 'event-1'), scanEventIdempotencyKey(subject, 'event-1')];
    const rescanned = scanEventIdempotencyKey(subject, 'event-2');

    // Assess
    expect(redelivered[1]).toBe(redelivered[0]);
    expect(rescanned).not.toBe(redelivered[0]);
  });
});
