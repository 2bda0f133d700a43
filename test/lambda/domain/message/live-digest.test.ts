import { describe, expect, it } from 'vitest';
import {
  aggregateOf,
  aggregateTotal,
  buildLiveDigestMessage,
  LIVE_CAUSES,
  type LiveAggregate,
  mergeAggregates,
} from '../../../../lambda/domain/message/live-digest.js';
import { reportFrom } from '../../../support/reports.js';

const failed = (n: number, change = {}) =>
  reportFrom('ec2-stopped-failed', { taskId: String(n).padStart(32, '0'), ...change });
const succeeded = (n: number) =>
  reportFrom('fargate-stopped-succeeded', { taskId: String(n).padStart(32, '0'), family: 'storm-job' });

describe('aggregateOf and mergeAggregates', () => {
  it('counts outcomes and causes, and adds them up exactly when merged', () => {
    const a = aggregateOf([failed(1), failed(2)]);
    const b = aggregateOf([failed(3)]);

    const merged = mergeAggregates(a, b);

    expect(merged.counts).toEqual({ failed: 3 });
    expect(merged.causes).toHaveLength(1);
    expect(merged.causes[0]?.count).toBe(3);
    expect(merged.causes[0]?.links.length).toBeLessThanOrEqual(3);
    expect(merged.batches).toBe(2);
    expect(aggregateTotal(merged)).toBe(3);
  });

  it('widens the span to the earliest and the latest stop of both', () => {
    const early = aggregateOf([failed(1, { stoppedAt: new Date('2025-03-01T07:00:00Z') })]);
    const late = aggregateOf([failed(2, { stoppedAt: new Date('2025-03-01T07:45:00Z') })]);

    const merged = mergeAggregates(late, early);

    expect(merged.firstAt).toBe(Date.parse('2025-03-01T07:00:00Z'));
    expect(merged.lastAt).toBe(Date.parse('2025-03-01T07:45:00Z'));
  });

  it(`keeps ${LIVE_CAUSES} causes by name and counts the rest, so the item stays small`, () => {
    let merged: LiveAggregate | undefined;
    for (let i = 0; i < LIVE_CAUSES + 5; i++) {
      const next = aggregateOf([
        failed(i, { stoppedReason: `reason number ${i}`, stopCode: 'UserInitiated' }),
      ]);
      merged = merged ? mergeAggregates(merged, next) : next;
    }

    expect(merged?.causes).toHaveLength(LIVE_CAUSES);
    expect(merged?.otherCauses).toBe(5);
    expect(aggregateTotal(merged as LiveAggregate)).toBe(LIVE_CAUSES + 5);
  });
});

describe('buildLiveDigestMessage', () => {
  it('says the counts worst first, and how often it was updated since when', () => {
    const aggregate = mergeAggregates(aggregateOf([failed(1), failed(2)]), aggregateOf([succeeded(3)]));

    const message = buildLiveDigestMessage(aggregate, { since: Date.parse('2025-03-01T07:00:00Z') });

    expect(message.text).toContain('2 failed, 1 succeeded of 3 tasks');
    expect(JSON.stringify(message)).toContain('Live since 07:00 UTC, updated 1×');
  });

  it('is one quiet line when everything succeeded', () => {
    const message = buildLiveDigestMessage(aggregateOf([succeeded(1), succeeded(2)]), { since: 0 });

    expect(message.attachments).toBeUndefined();
    expect(message.blocks?.[0]?.type).toBe('context');
  });
});
