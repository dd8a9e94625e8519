import { AutomationId } from '@dockmaster/core/constants';
import { deadLetterQueueUrlFrom, deadLetterQueueUrlMap } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';

/* DOCKMASTER_DEAD_LETTER_QUEUE_URL: a plain URL in AWS (one function, one DLQ), a JSON map in the local stack. */

const TAG_POLICY_DLQ = 'https://sqs.eu-central-1.amazonaws.com/111122223333/dockmaster-prod-TagPolicyDlq-a1b2c3';
const LOCAL_DLQ = (name: string) => `http://127.0.0.1:4566/111122223333/dockmaster-local-${name}-dlq`;

describe('deadLetterQueueUrlFrom', () => {
  it('takes a plain URL as the worker’s own DLQ, whatever the automation', () => {
    // Act
    const urls = [AutomationId.TagPolicy, AutomationId.Replication].map((id) => deadLetterQueueUrlFrom(` ${TAG_POLICY_DLQ} `, id));

    // Assess
    expect(urls).toEqual([TAG_POLICY_DLQ, TAG_POLICY_DLQ]);
  });

  it('picks the automation’s entry from the JSON map the local stack sets, and nothing for an automation without one', () => {
    // Prepare
    const value = deadLetterQueueUrlMap({ 'scan-alert': LOCAL_DLQ('scan-alert'), 'tag-policy': LOCAL_DLQ('tag-policy') });

    // Act
    const picked = [AutomationId.ScanAlert, AutomationId.TagPolicy, AutomationId.Prepopulate].map((id) => deadLetterQueueUrlFrom(value, id));

    // Assess
    expect(picked).toEqual([LOCAL_DLQ('scan-alert'), LOCAL_DLQ('tag-policy'), undefined]);
    expect(value).toBe(JSON.stringify({ 'scan-alert': LOCAL_DLQ('scan-alert'), 'tag-policy': LOCAL_DLQ('tag-policy') }));
  });

  it('treats an unset or empty variable as no DLQ and a malformed map as a wiring error that names the variable', () => {
    // Act
    const unset = [undefined, '', '   '].map((value) => deadLetterQueueUrlFrom(value, AutomationId.TagPolicy));
    const malformed = () => deadLetterQueueUrlFrom('{"tag-policy": 42}', AutomationId.TagPolicy);
    const truncated = () => deadLetterQueueUrlFrom('{"tag-policy": "http://x', AutomationId.TagPolicy);

    // Assess
    expect(unset).toEqual([undefined, undefined, undefined]);
    expect(malformed).toThrow(/DOCKMASTER_DEAD_LETTER_QUEUE_URL must be a queue URL or a JSON object/);
    expect(truncated).toThrow(/DOCKMASTER_DEAD_LETTER_QUEUE_URL/);
  });
});
