import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLiveLedger } from '../../../lambda/adapters/live-ledger.js';
import { createMemorySentLedger } from '../../../lambda/adapters/sent-ledger.js';
import { createSlackApiClient } from '../../../lambda/adapters/slack-api.js';
import { DEFAULT_ROUTE } from '../../../lambda/domain/delivery/routes.js';
import { deliverEvaluations } from '../../../lambda/pipeline/deliver.js';
import type { Evaluation } from '../../../lambda/pipeline/evaluate.js';
import { type SlackSink, startSlackSink } from '../../../local/slack-sink.js';
import { reportFrom } from '../../support/reports.js';

const CHANNEL = 'C0THREAD01';
const T0 = Date.parse('2025-03-01T07:00:00Z');
let sink: SlackSink;

beforeAll(async () => {
  sink = await startSlackSink();
});
afterAll(() => sink.close());
beforeEach(async () => {
  sink.setFailure(null);
  await fetch(`${sink.url}/messages`, { method: 'DELETE' });
});

/** A failed stop of `family` with its container's last lines read. */
function failure(n: number, family = 'nightly-import'): Evaluation {
  const id = String(n).padStart(32, '0');
  const report = reportFrom('ec2-stopped-failed', {
    taskArn: `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${id}`,
    taskId: id,
    family,
  });
  return {
    status: 'ready',
    report: {
      ...report,
      logs: {
        containers: [],
        tail: { status: 'shown', container: 'app', lines: [`run ${n}: boom`], omitted: 0, more: false },
      },
    },
  };
}

function world(maxAttempts = 5) {
  const clock = { at: T0 };
  const now = () => clock.at;
  const api = createSlackApiClient('xoxb-1111-2222-threadtoken', {
    apiUrl: sink.apiUrl,
    ratePerSecond: 1000,
    methodRatePerSecond: 1000,
    maxAttempts,
    now,
    sleep: async (ms) => {
      clock.at += ms;
    },
  });
  const routes = new Map([[DEFAULT_ROUTE, { sender: api.sender(CHANNEL), digestThreshold: 5 }]]);
  const ledger = createMemorySentLedger();
  const live = createMemoryLiveLedger();
  const deliver = (evaluations: Evaluation[]) =>
    deliverEvaluations(evaluations, { routes, ledger, live, now, deadline: clock.at + 60_000 });
  return { clock, deliver };
}

const posted = () => sink.messages().filter((m) => m.channel === CHANNEL);
const json = (m: { payload: unknown } | undefined) => JSON.stringify(m?.payload);

describe('failures as threads (app mode)', () => {
  it('posts the card in the channel and its log tail as the first reply', async () => {
    const { deliver } = world();

    const [result] = await deliver([failure(1)]);

    expect(result).toMatchObject({ status: 'notified' });
    const [card, tail, ...more] = posted();
    expect(more).toEqual([]);
    expect(card?.threadTs).toBeUndefined();
    expect(json(card)).not.toContain('run 1: boom');
    expect(tail?.threadTs).toBe(card?.ts);
    expect(json(tail)).toContain('run 1: boom');
  });

  it('replies in the first failure’s thread when the job fails again, and counts it on the first card', async () => {
    const { clock, deliver } = world();
    await deliver([failure(1)]);
    clock.at += 20 * 60_000;
    await deliver([failure(2)]);
    clock.at += 20 * 60_000;
    const [third] = await deliver([failure(3)]);

    const top = posted().filter((m) => !m.threadTs);
    const replies = posted().filter((m) => m.threadTs);
    expect(top).toHaveLength(1);
    expect(top[0]?.edits).toBe(2);
    expect(json(top[0])).toContain('failed 3× since 07:00 UTC');
    expect(replies).toHaveLength(3);
    expect(json(replies[2])).toContain('run 3: boom');
    expect(third?.reason).toContain('3× since');
  });

  it('starts a new thread once the window from the first failure has passed', async () => {
    const { clock, deliver } = world();
    await deliver([failure(1)]);
    clock.at += 61 * 60_000;
    await deliver([failure(2)]);

    expect(posted().filter((m) => !m.threadTs)).toHaveLength(2);
  });

  it('keeps jobs apart: another family’s failure is a thread of its own', async () => {
    const { deliver } = world();
    await deliver([failure(1, 'nightly-import')]);
    await deliver([failure(2, 'nightly-export')]);

    expect(posted().filter((m) => !m.threadTs)).toHaveLength(2);
  });

  it('neither counts nor replies again for a redelivered failure', async () => {
    const { deliver } = world();
    await deliver([failure(1)]);
    await deliver([failure(2)]);

    const [again] = await deliver([failure(2)]);

    expect(again).toMatchObject({ status: 'skipped', reason: expect.stringContaining('duplicate') });
    expect(posted().filter((m) => m.threadTs)).toHaveLength(2);
    expect(json(posted()[0])).toContain('failed 2×');
  });

  it('after a Slack call that failed, on retry updates the first card and replies, counting the failure once', async () => {
    const { deliver } = world(1);
    await deliver([failure(1)]);
    // The first card's chat.update is refused (retryable), so no reply is sent either.
    sink.setFailure({ error: 'service_unavailable' });
    const [failed] = await deliver([failure(2)]);
    const [retried] = await deliver([failure(2)]);

    expect(failed).toMatchObject({ status: 'failed', retryable: true });
    expect(retried).toMatchObject({ status: 'notified' });
    expect(posted().filter((m) => m.threadTs)).toHaveLength(2);
    expect(json(posted()[0])).toContain('failed 2×');
    expect(json(posted()[0])).not.toContain('failed 3×');
  });
});
