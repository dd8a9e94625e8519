import { describe, expect, it } from 'vitest';
import { renderArchivedImageRestoredMessage } from './archived-image-restored.js';
import { RenderedMessageSchema } from './message.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('renderArchivedImageRestoredMessage', () => {
  it('names the image by its allow-listed tag, says pulls fail until the restore completes, and names digest and team', () => {
    // Prepare
    const restore = { repository: 'k8s/pause', prefix: 'k8s', digest: DIGEST, tags: ['3.9'], imageStatus: 'ACTIVATING', archivedAt: '2026-12-05T10:00:00Z', team: 'platform' };

    // Act
    const message = renderArchivedImageRestoredMessage(restore);

    // Assess
    expect(RenderedMessageSchema.parse(message)).toEqual(message);
    expect(message.subject).toBe('[ARCHIVED IMAGE RESTORED] k8s/pause:3.9 — pulls fail until the restore completes');
    expect(message.body).toContain(`Digest:    ${DIGEST}`);
    expect(message.body).toContain('Team:      platform');
    expect(message.body).toContain('ECR answered ACTIVATING');
  });

  it('fits a very long repository name into the subject line limit', () => {
    // Prepare
    const restore = { repository: `k8s/${'very-long-name/'.repeat(20)}app`, prefix: 'k8s', digest: DIGEST, tags: ['1.0'], imageStatus: 'ACTIVATING', archivedAt: '2026-12-05T10:00:00Z' };

    // Act
    const message = renderArchivedImageRestoredMessage(restore);

    // Assess
    expect(RenderedMessageSchema.safeParse(message).success).toBe(true);
    expect(message.body).toContain('(no owner: set owner on the allow-list entry)');
  });
});
