import { describe, expect, it } from 'vitest';
import { retryDelaySeconds, retryHorizonSeconds } from '../../../../lambda/domain/delivery/retry.js';

describe('retryDelaySeconds', () => {
  it('waits a minute after the first failed receive, then twice as long each time, at most two hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((n) => retryDelaySeconds(n))).toEqual([
      60, 120, 240, 480, 960, 1920, 3840, 7200, 7200, 7200,
    ]);
  });

  it('sends a failure no retry can fix round again at once, towards the dead-letter queue', () => {
    expect(retryDelaySeconds(3, true)).toBe(0);
  });
});

describe('a record that fails on every receive (a clock we move by hand)', () => {
  it('stays in the queue for about a day before the dead-letter queue, with 20 receives', () => {
    // The queue as SQS runs it: a failed record is received again once its wait is over.
    let clock = 0;
    let receives = 0;
    while (receives < 20) {
      receives++;
      if (receives === 20) break; // the 20th failed receive moves it to the dead-letter queue
      clock += retryDelaySeconds(receives);
    }
    expect(clock).toBe(retryHorizonSeconds(20));
    expect(clock / 3600).toBeGreaterThan(24);
    expect(clock / 3600).toBeLessThan(48);
  });

  it('never asks for a wait longer than SQS allows a visibility timeout (12 hours)', () => {
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => retryDelaySeconds(i + 1)))).toBeLessThanOrEqual(
      12 * 3600,
    );
  });
});
