import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDynamoDbLiveLedger,
  createMemoryLiveLedger,
  type LiveLedger,
} from '../../../lambda/adapters/live-ledger.js';
import { createMemorySentLedger, type SentLedger } from '../../../lambda/adapters/sent-ledger.js';
import { createSlackApiClient } from '../../../lambda/adapters/slack-api.js';
import { DEFAULT_ROUTE } from '../../../lambda/domain/delivery/routes.js';
import { deliverEvaluations } from '../../../lambda/pipeline/deliver.js';
import type { Evaluation } from '../../../lambda/pipeline/evaluate.js';
import { type SlackSink, startSlackSink } from '../../../local/slack-sink.js';
import { type LocalDynamo, startDynamo } from '../../support/dynalite.js';
import { reportFrom } from '../../support/reports.js';

const TABLE = 'live-digest-test';
const CHANNEL = 'C0LIVE0001';
const T0 = Date.parse('2025-03-01T07:00:00Z');
let sink: SlackSink;
let dynamo: LocalDynamo;

beforeAll(async () => {
  [sink, dynamo] = await Promise.all([startSlackSink(), startDynamo(TABLE)]);
});
afterAll(async () => {
  await Promise.all([sink.close(), dynamo.close()]);
});
afterEach(() => sink.setFailure(null));

/** `count` failed stops of one family, numbered from `from`: a storm's share of one invocation. */
function stops(from: number, count: number, family = 'storm-job'): Evaluation[] {
  return Array.from({ length: count }, (_, k) => {
    const id = String(from + k).padStart(32, '0');
    return {
      status: 'ready',
      report: reportFrom('ec2-stopped-failed', {
        taskArn: `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${id}`,
        taskId: id,
        family,
      }),
    };
  });
}

/** One notifier's delivery: a channel through the sink's Web API, a clock the test moves. */
function world(live: LiveLedger, ledger: SentLedger = createMemorySentLedger(), maxAttempts = 5) {
  const clock = { at: T0 };
  const now = () => clock.at;
  const api = createSlackApiClient('xoxb-1111-2222-livetoken', {
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
  const deliver = (evaluations: Evaluation[]) =>
    deliverEvaluations(evaluations, { routes, ledger, live, now, deadline: clock.at + 60_000 });
  return { clock, deliver };
}

/** The sink's messages in the channel: top-level posts, with their edits counted. */
function channel() {
  const posts = sink.messages().filter((m) => m.channel === CHANNEL && !m.threadTs);
  return { posts, edits: posts.reduce((n, m) => n + (m.edits ?? 0), 0), text: posts.map(textOf) };
}
const textOf = (m: { payload: unknown }) => (m.payload as { text: string }).text;

describe('storms as one live message (app mode)', () => {
  it('posts the first invocation of a storm, and updates that message for each later one', async () => {
    await fetch(`${sink.url}/messages`, { method: 'DELETE' });
    const { clock, deliver } = world(createMemoryLiveLedger());

    const first = await deliver(stops(0, 6));
    clock.at += 60_000;
    await deliver(stops(6, 6));
    clock.at += 60_000;
    const third = await deliver(stops(12, 2));

    expect(first.every((r) => r.status === 'notified' && r.digest)).toBe(true);
    expect(third.map((r) => r.status)).toEqual(['notified', 'notified']);
    const { posts, edits, text } = channel();
    expect(posts).toHaveLength(1);
    expect(edits).toBe(2);
    expect(text[0]).toContain('14 failed of 14 tasks');
    expect(JSON.stringify(posts[0]?.payload)).toContain('updated 2×');
  });

  it('starts a new message once the window from the first post has passed', async () => {
    await fetch(`${sink.url}/messages`, { method: 'DELETE' });
    const { clock, deliver } = world(createMemoryLiveLedger());

    await deliver(stops(100, 6));
    clock.at += 61 * 60_000;
    await deliver(stops(106, 6));

    const { posts, edits, text } = channel();
    expect(posts).toHaveLength(2);
    expect(edits).toBe(0);
    expect(text).toEqual([
      expect.stringContaining('6 failed of 6'),
      expect.stringContaining('6 failed of 6'),
    ]);
  });

  it('leaves a lone stop of a family without a live message as a message of its own', async () => {
    await fetch(`${sink.url}/messages`, { method: 'DELETE' });
    const { deliver } = world(createMemoryLiveLedger());

    const [alone] = await deliver(stops(200, 1, 'quiet-job'));

    expect(alone).toMatchObject({ status: 'notified' });
    expect(alone?.digest).toBeUndefined();
    expect(channel().posts).toHaveLength(1);
  });
});

describe('live messages in DynamoDB (dynalite)', () => {
  it('counts two invocations updating at once, both of them, in one message', async () => {
    await fetch(`${sink.url}/messages`, { method: 'DELETE' });
    const live = racingReads(createDynamoDbLiveLedger(TABLE, dynamo.client));
    const ledger = createMemorySentLedger();
    const a = world(live, ledger);
    const b = world(live, ledger);

    const [ra, rb] = await Promise.all([
      a.deliver(stops(300, 6, 'race-job')),
      b.deliver(stops(306, 7, 'race-job')),
    ]);

    expect([...ra, ...rb].every((r) => r.status === 'notified')).toBe(true);
    expect(live.conflicts()).toBeGreaterThan(0);
    const { posts, text } = channel();
    expect(posts).toHaveLength(1);
    expect(text[0]).toContain('13 failed of 13 tasks');
  });

  it('after a chat.update that failed, updates on retry instead of posting, and counts nothing twice', async () => {
    await fetch(`${sink.url}/messages`, { method: 'DELETE' });
    const live = createDynamoDbLiveLedger(TABLE, dynamo.client);
    const ledger = createMemorySentLedger();
    const { clock, deliver } = world(live, ledger, 1);
    await deliver(stops(400, 6, 'retry-job'));
    clock.at += 60_000;

    sink.setFailure({ error: 'service_unavailable' });
    const failed = await deliver(stops(406, 6, 'retry-job'));
    const retried = await deliver(stops(406, 6, 'retry-job'));

    expect(failed.every((r) => r.status === 'failed' && r.retryable)).toBe(true);
    expect(retried.every((r) => r.status === 'notified')).toBe(true);
    const { posts, edits, text } = channel();
    expect(posts).toHaveLength(1);
    expect(edits).toBe(1);
    expect(text[0]).toContain('12 failed of 12 tasks');
  });

  it('gives the lease to one invocation at a time, and to another once it expired', async () => {
    const live = createDynamoDbLiveLedger(TABLE, dynamo.client);
    const key = 'lease-test';
    await live.merge(key, undefined, {
      version: 1,
      startedAt: T0,
      aggregate: emptyAggregate(),
      newWindow: true,
    });

    expect(await live.lease(key, 'a', T0 + 1000, T0)).toBe(true);
    expect(await live.lease(key, 'b', T0 + 1000, T0 + 500)).toBe(false);
    expect(await live.lease(key, 'b', T0 + 3000, T0 + 2000)).toBe(true);
    expect(await live.show(key, 'a', { version: 1, startedAt: T0, ts: '1.000001', channel: CHANNEL })).toBe(
      false,
    );
  });

  it('refuses a merge over a version another invocation wrote first', async () => {
    const live = createDynamoDbLiveLedger(TABLE, dynamo.client);
    const key = 'cas-test';
    const next = (version: number) => ({
      version,
      startedAt: T0,
      aggregate: emptyAggregate(),
      newWindow: false,
    });
    await live.merge(key, undefined, { ...next(1), newWindow: true });

    expect(await live.merge(key, 1, next(2))).toBe(true);
    expect(await live.merge(key, 1, next(2))).toBe(false);
    expect((await live.read(key))?.version).toBe(2);
  });
});

function emptyAggregate() {
  return {
    source: 'batch',
    names: ['job:1'],
    noun: 'tasks' as const,
    counts: {},
    causes: [],
    batches: 1,
    otherCauses: 0,
  };
}

/**
 * A ledger whose first two reads wait for each other, so two invocations read the same version
 * and race to write it: one of them must lose the compare-and-set and merge again.
 */
function racingReads(inner: LiveLedger): LiveLedger & { conflicts(): number } {
  let waiting: (() => void) | undefined;
  let reads = 0;
  let conflicts = 0;
  return {
    ...inner,
    async read(key) {
      const item = await inner.read(key);
      if (++reads <= 2 && !key.includes('\u0000quiet')) {
        if (waiting) waiting();
        else await new Promise<void>((resolve) => (waiting = resolve));
      }
      return item;
    },
    async merge(key, expected, next) {
      const merged = await inner.merge(key, expected, next);
      if (!merged) conflicts++;
      return merged;
    },
    conflicts: () => conflicts,
  };
}
