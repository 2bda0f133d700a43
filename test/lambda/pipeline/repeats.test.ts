import { describe, expect, it } from 'vitest';
import { createMemoryRepeatLedger, type RepeatLedger } from '../../../lambda/adapters/repeat-ledger.js';
import { createMemorySentLedger } from '../../../lambda/adapters/sent-ledger.js';
import { parseNotifierConfig } from '../../../lambda/domain/config/config.js';
import { createNotifier } from '../../../lambda/notifier.js';
import { ordinal } from '../../../lambda/pipeline/repeats.js';
import { loadEvent } from '../../support/fixtures.js';

const config = parseNotifierConfig({ events: ['service'], digestThreshold: 50 });

/** The impaired service's placement failure, as ECS sends it again `minutes` after 07:12. */
function repeat(n: number, minutes: number) {
  const event = loadEvent('service/placement-failure-memory');
  event.id = `7c41f0e2-0a9b-4c3e-9f1d-${String(n).padStart(12, '0')}`;
  event.time = new Date(Date.parse('2025-02-10T07:12:41Z') + minutes * 60_000)
    .toISOString()
    .replace('.000', '');
  return event;
}

function notifier(repeats: RepeatLedger = createMemoryRepeatLedger()) {
  return createNotifier(config, { repeats, ledger: createMemorySentLedger() });
}

describe('an impaired service repeating its event', () => {
  it('gives one message an hour, and skips the repeats naming the first and counting', async () => {
    const results = await notifier().notify([0, 5, 10, 15].map((m, i) => ({ event: repeat(i, m) })));

    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['notified', undefined],
      ['skipped', 'repeat of SERVICE_TASK_PLACEMENT_FAILURE notified at 07:12 UTC, 2nd this hour'],
      ['skipped', 'repeat of SERVICE_TASK_PLACEMENT_FAILURE notified at 07:12 UTC, 3rd this hour'],
      ['skipped', 'repeat of SERVICE_TASK_PLACEMENT_FAILURE notified at 07:12 UTC, 4th this hour'],
    ]);
  });

  it('says in the next hour’s first message how many came since the last one', async () => {
    const shared = notifier();
    await shared.notify([0, 5, 10].map((m, i) => ({ event: repeat(i, m) })));

    const [next] = await shared.notify([{ event: repeat(9, 60) }]);

    expect(next?.status).toBe('notified');
    expect(JSON.stringify(next?.message)).toContain(
      '2 more of the same since the message at 07:12 UTC, not sent one by one',
    );
  });

  it('counts a redelivered event once, and does not send it twice', async () => {
    const repeats = createMemoryRepeatLedger();
    const shared = notifier(repeats);
    await shared.notify([{ event: repeat(0, 0) }, { event: repeat(1, 5) }]);

    const [again] = await shared.notify([{ event: repeat(0, 0) }]);

    expect(again).toMatchObject({
      status: 'skipped',
      reason: 'duplicate: this task stop was already notified',
    });
    const [third] = await shared.notify([{ event: repeat(2, 9) }]);
    expect(third?.reason).toMatch(/, 3rd this hour$/);
  });

  it('counts repeats of each service and event apart', async () => {
    const other = repeat(1, 5);
    other.resources = ['arn:aws:ecs:us-east-2:444455556666:service/batch-b/api'];

    const results = await notifier().notify([{ event: repeat(0, 0) }, { event: other }]);

    expect(results.map((r) => r.status)).toEqual(['notified', 'notified']);
  });

  it('goes on as a first when the count cannot be made', async () => {
    const broken: RepeatLedger = {
      tally: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      peek: async () => undefined,
    };

    const [result] = await notifier(broken).notify([{ event: repeat(0, 0) }]);

    expect(result?.status).toBe('notified');
  });
});

describe('ordinal', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [11, '11th'],
    [12, '12th'],
    [22, '22nd'],
    [101, '101st'],
  ])('%i is %s', (n, words) => {
    expect(ordinal(n)).toBe(words);
  });
});
