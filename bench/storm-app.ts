import { createDynamoDbLiveLedger } from '../lambda/adapters/live-ledger.js';
import { createDynamoDbSentLedger } from '../lambda/adapters/sent-ledger.js';
import { createSlackApiClient, TIER_3_PER_SECOND } from '../lambda/adapters/slack-api.js';
import { createNotifier } from '../lambda/notifier.js';
import type { EventResult } from '../lambda/pipeline/deliver.js';
import { startSlackSink } from '../local/slack-sink.js';
import { stormStops } from '../local/storm.js';
import { startDynamo } from '../test/support/dynalite.js';
import { progress } from './child.js';
import { RUNTIME_CONFIG } from './fixtures.js';

const TABLE = 'bench-storm-app';
const CHANNEL = 'C0STORM001';
/** Batches sent again (records that failed but may succeed), as SQS redelivers them. */
const MAX_RETRIES = 50;

export interface AppStormFigures {
  events: number;
  /** Events notified or skipped (none failed for good). */
  accounted: number;
  /** Top-level messages in the channel. */
  posts: number;
  /** `chat.update`s of them. */
  updates: number;
  /** Thread replies. */
  replies: number;
  failed: number;
  /** Failed stops the channel's messages count, in their last version. */
  failedCounted: number;
  invocations: number;
  wallS: number;
}

/**
 * A storm in app mode: `events` task stops in batches of `batchSize`, `instances` notifiers at
 * once (each with its own Web API client, paced at its share of Slack's limits), the ledgers in
 * DynamoDB (dynalite), one channel of the sink. What the channel ends with: top-level posts,
 * updates, replies, and how many failures its messages count.
 */
export async function measureAppStorm(
  events: number,
  batchSize: number,
  instances: number,
): Promise<AppStormFigures> {
  const stops = stormStops(events, 0.03, 'storm-app', RUNTIME_CONFIG);
  const [sink, dynamo] = await Promise.all([startSlackSink(), startDynamo(TABLE)]);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_REGION ??= 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  try {
    const notifiers = Array.from({ length: instances }, () => {
      const rate = 1 / instances;
      const api = createSlackApiClient('xoxb-1111-2222-benchtoken', {
        apiUrl: sink.apiUrl,
        ratePerSecond: rate,
        methodRatePerSecond: rate * TIER_3_PER_SECOND,
      });
      return createNotifier(RUNTIME_CONFIG, {
        senderFor: () => api.sender(CHANNEL),
        ledger: createDynamoDbSentLedger(TABLE),
        live: createDynamoDbLiveLedger(TABLE, dynamo.client),
      });
    });
    const batches: string[][] = [];
    for (let at = 0; at < stops.length; at += batchSize)
      batches.push(stops.slice(at, at + batchSize).map((s) => s.event));
    progress(
      `storm (app mode): ${events} stops in ${batches.length} batches of ${batchSize}, ${instances} instances`,
    );
    const started = Date.now();
    const results: EventResult[] = [];
    let next = 0;
    let retries = 0;
    await Promise.all(
      notifiers.map(async (notifier) => {
        while (next < batches.length) {
          const batch = batches[next++] as string[];
          const inputs = batch.map((event) => ({ event: JSON.parse(event) }));
          const answers = await notifier.notify(inputs, { deadline: Date.now() + 60_000 });
          // As SQS would: a record that failed but may succeed comes back in a later batch.
          const again = batch.filter((_, i) => answers[i]?.status === 'failed' && answers[i]?.retryable);
          if (again.length > 0 && ++retries <= MAX_RETRIES) batches.push(again);
          results.push(...answers.filter((a) => !(a.status === 'failed' && a.retryable)));
        }
      }),
    );
    const wallS = (Date.now() - started) / 1000;
    const lost = [
      ...results,
      ...Array(Math.max(0, events - results.length)).fill({ status: 'failed', reason: 'retried too often' }),
    ].filter((r) => r.status !== 'notified' && r.status !== 'skipped');
    if (lost.length > 0)
      progress(
        `storm (app mode): ${lost.length} not notified, e.g. ${[...new Set(lost.map((r) => r.reason))].slice(0, 3).join('; ')}`,
      );
    const messages = sink.messages().filter((m) => m.channel === CHANNEL);
    const top = messages.filter((m) => !m.threadTs);
    const failedCounted = top.reduce((n, m) => {
      const text = (m.payload as { text?: string }).text ?? '';
      return n + Number(/(\d+) failed/.exec(text)?.[1] ?? (/\bfailed\b/.test(text) ? 1 : 0));
    }, 0);
    return {
      events,
      accounted: results.filter((r) => r.status === 'notified' || r.status === 'skipped').length,
      posts: top.length,
      updates: top.reduce((n, m) => n + (m.edits ?? 0), 0),
      replies: messages.length - top.length,
      failed: stops.filter((s) => s.failed).length,
      failedCounted,
      invocations: next,
      wallS,
    };
  } finally {
    await Promise.all([sink.close(), dynamo.close()]);
  }
}
