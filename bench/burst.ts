import { startEcsApi } from '../local/ecs-api.js';
import { startSlackSink } from '../local/slack-sink.js';
import { progress } from './child.js';
import { distinctTasks, sqsBatch, taskDefinitionsOf } from './fixtures.js';
import { lambdaEnvironment } from './lambda-env.js';
import { runWorker } from './warm.js';
import type { WorkerInput } from './worker-io.js';

/** Records per SQS batch: a steady trickle of small batches, each under the digest threshold per family. */
const BATCH_SIZE = 10;
/** SQS receives before a record goes to the dead-letter queue, as the stack configures. */
const MAX_RECEIVES = 5;

export interface BurstFigures {
  events: number;
  /** Task stops that reached the sink. */
  accounted: number;
  /** Messages beyond one per task stop. */
  duplicates: number;
  http429: number;
  wallS: number;
  floorS: number;
  messages: number;
  /** Records handed back to the queue as batch item failures (each redelivery counts). */
  itemFailures: number;
  /** Records that would have gone to the dead-letter queue. */
  undelivered: number;
}

/**
 * `events` STOPPED events of distinct families (no digest applies) through one warm handler in
 * SQS batches of 10, against a sink taking `ratePerSecond` messages a second (429 beyond), with
 * the handler paced at `handlerRatePerSecond` (the same rate unless told). Records it hands back
 * are redelivered, as SQS would.
 */
export async function measureBurst(
  bundle: string,
  deployedEnvironment: Record<string, string>,
  events: number,
  ratePerSecond: number,
  handlerRatePerSecond = ratePerSecond,
): Promise<BurstFigures> {
  const tasks = distinctTasks(events, 3);
  const ecs = await startEcsApi({
    tasks: tasks.map((t) => t.described),
    taskDefinitions: taskDefinitionsOf(tasks),
  });
  const sink = await startSlackSink({ ratePerSecond });
  const env = lambdaEnvironment(
    deployedEnvironment,
    { ecs: ecs.url, webhook: sink.hookUrl },
    handlerRatePerSecond,
  );
  const batches: WorkerInput['batches'] = [];
  for (let i = 0; i < tasks.length; i += BATCH_SIZE) {
    const events = tasks.slice(i, i + BATCH_SIZE).map((t) => t.event);
    batches.push(sqsBatch(events, i) as WorkerInput['batches'][number]);
  }
  const ticker = setInterval(
    () => progress(`burst: ${sink.messages().length}/${events} messages at the sink`),
    5000,
  );
  try {
    progress(
      `burst: ${events} task stops, ${batches.length} batches, sink and handler at ${ratePerSecond}/s`,
    );
    const run = await runWorker(bundle, { batches, warmup: 0, maxReceives: MAX_RECEIVES }, env);
    const stats = (await (await fetch(`${sink.url}/_stats`)).json()) as { answered: Record<string, number> };
    const taskIds = new Map(tasks.map((t) => [t.taskArn.split('/').pop() as string, 0]));
    const messages = sink.messages();
    for (const message of messages) {
      const ids = new Set(JSON.stringify(message.payload).match(/\b[0-9a-f]{32}\b/g) ?? []);
      for (const id of ids) if (taskIds.has(id)) taskIds.set(id, (taskIds.get(id) ?? 0) + 1);
    }
    const counts = [...taskIds.values()];
    return {
      events,
      accounted: counts.filter((n) => n > 0).length,
      duplicates: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
      http429: stats.answered['429'] ?? 0,
      wallS: run.wallMs / 1000,
      floorS: messages.length / ratePerSecond,
      messages: messages.length,
      itemFailures: run.itemFailures,
      undelivered: run.undelivered,
    };
  } finally {
    clearInterval(ticker);
    await Promise.all([ecs.close(), sink.close()]);
  }
}
