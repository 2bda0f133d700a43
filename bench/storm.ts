import { ENV } from '../lambda/environment.js';
import type { DeployedBundle } from '../lib/deployed-bundle.js';
import { startEcsApi } from '../local/ecs-api.js';
import { type SlackSink, startSlackSink } from '../local/slack-sink.js';
import { type StormStop, stormStops } from '../local/storm.js';
import { startDynamo } from '../test/support/dynalite.js';
import { progress } from './child.js';
import type { EventSourceSettings } from './deployed-bundle.js';
import { SimulatedEventSource } from './event-source.js';
import { RUNTIME_CONFIG, taskDefinitionsOf } from './fixtures.js';
import { lambdaEnvironment } from './lambda-env.js';
import { percentile } from './stats.js';

const TABLE = 'bench-storm-idempotency';

export interface StormFigures {
  events: number;
  /** Events whose last decision was notified or skipped, or that wait in the queue to be retried. */
  accounted: number;
  /** Task stops notified more than once (by the decision log), plus failed tasks shown in two messages. */
  duplicates: number;
  messages: number;
  failed: number;
  /** Failed tasks a message links by ID or counts in an "and N more" or "not shown" line. */
  failedShown: number;
  invocations: number;
  invokeP99Ms: number;
  invokeCpuP99Ms: number;
  peakRssMb: number;
  http429: number;
  deadLetters: number;
  wallS: number;
  loneLatencyS: number;
}

/**
 * `events` STOPPED task events arriving evenly over `seconds`, through the deployed bundle as the
 * stack's event source mapping would feed it (its batch size, window, concurrency and timeout),
 * with the DynamoDB ledger on dynalite, DescribeTasks answered by the local ECS API and a Slack
 * sink taking `slackRate` messages a second (429 with Retry-After beyond). Then one lone stop,
 * timed from the queue to the sink.
 */
export async function measureStorm(
  deployed: DeployedBundle & { settings: EventSourceSettings },
  events: number,
  seconds: number,
  slackRate: number,
  verbose = false,
): Promise<StormFigures> {
  const stops = stormStops(events, 0.03, 'storm', RUNTIME_CONFIG);
  const lone = stormStops(1, 0, 'lone', RUNTIME_CONFIG)[0] as StormStop;
  const [ecs, sink, dynamo] = await Promise.all([
    startEcsApi({
      tasks: [...stops, lone].map((s) => s.described),
      taskDefinitions: taskDefinitionsOf([...stops, lone]),
    }),
    startSlackSink({ ratePerSecond: slackRate }),
    startDynamo(TABLE),
  ]);
  const decisions = new Map<string, string[]>();
  const logReader = () => {
    let pending = '';
    return (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const { taskArn, status } = JSON.parse(line) as { taskArn?: string; status?: string };
        if (taskArn && status) decisions.set(taskArn, [...(decisions.get(taskArn) ?? []), status]);
      }
    };
  };
  const env = {
    ...lambdaEnvironment(
      deployed.environment,
      { ecs: ecs.url, webhook: sink.hookUrl },
      Number(deployed.environment[ENV.slackRate] ?? '1'),
    ),
    [ENV.idempotencyTable]: TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  };
  const source = new SimulatedEventSource(deployed.settings, deployed.file, env, logReader(), logReader());
  try {
    await source.start();
    const { batchSize, batchWindowSeconds, maxConcurrency, timeoutSeconds } = deployed.settings;
    progress(
      `storm: ${events} task stops over ${seconds} s; batches of ${batchSize} in ${batchWindowSeconds} s, ${maxConcurrency} instances, ${timeoutSeconds} s timeout; Slack at ${slackRate}/s`,
    );
    const started = Date.now();
    const ticker = setInterval(
      () =>
        progress(
          `storm: ${source.invocations.length} invocations, ${decisions.size}/${events} decided, ${sink.messages().length} messages`,
        ),
      10_000,
    );
    try {
      for (const [i, stop] of stops.entries()) {
        const due = started + (i * seconds * 1000) / events;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        source.send(stop.event);
      }
      const waiting = await source.drained();
      if (verbose) {
        progress(
          `invocations: ${source.invocations.map((i) => `${i.records}/${Math.round(i.durationMs)}ms`).join(' ')}`,
        );
        progress(
          `messages: ${sink
            .messages()
            .map((m) => (/\d+ tasks:/.test(JSON.stringify(m.payload)) ? 'D' : 's'))
            .join('')}`,
        );
      }
      const wallS = (Date.now() - started) / 1000;
      const figures = stormFigures(stops, decisions, waiting.length, sink, source);
      const stats = (await (await fetch(`${sink.url}/_stats`)).json()) as {
        answered: Record<string, number>;
      };

      progress('lone: one task stop on a quiet queue, timed from the queue to the sink');
      const before = sink.messages().length;
      const sent = Date.now();
      source.send(lone.event);
      while (sink.messages().length === before) await new Promise((resolve) => setTimeout(resolve, 20));
      const loneLatencyS = (Date.now() - sent) / 1000;
      return { ...figures, http429: stats.answered['429'] ?? 0, wallS, loneLatencyS };
    } finally {
      clearInterval(ticker);
    }
  } finally {
    await source.stop();
    await Promise.all([ecs.close(), sink.close(), dynamo.close()]);
  }
}

function stormFigures(
  stops: StormStop[],
  decisions: Map<string, string[]>,
  waiting: number,
  sink: SlackSink,
  source: SimulatedEventSource,
): Omit<StormFigures, 'http429' | 'wallS' | 'loneLatencyS'> {
  let accounted = 0;
  let duplicates = 0;
  const unaccounted: string[] = [];
  for (const stop of stops) {
    const seen = decisions.get(stop.taskArn) ?? [];
    const last = seen.at(-1);
    if (last === 'notified' || last === 'skipped') accounted++;
    else if (unaccounted.length < 3) unaccounted.push(`${stop.taskId}: ${seen.join(' → ') || 'no decision'}`);
    duplicates += Math.max(0, seen.filter((s) => s === 'notified').length - 1);
  }
  if (unaccounted.length > 0) progress(`storm: not notified nor skipped, e.g. ${unaccounted.join('; ')}`);
  // Records waiting out their visibility timeout will be retried: accounted for, not lost.
  accounted += waiting;

  const failedIds = new Set(stops.filter((s) => s.failed).map((s) => s.taskId));
  const linkedIn = new Map<string, number>();
  let counted = 0;
  for (const { payload } of sink.messages()) {
    const text = JSON.stringify(payload);
    for (const id of new Set([...text.matchAll(/\/tasks\/([0-9a-f]{32})\//g)].map((m) => m[1] as string))) {
      if (failedIds.has(id)) linkedIn.set(id, (linkedIn.get(id) ?? 0) + 1);
    }
    for (const m of text.matchAll(/\band (\d+) more(?! cause)/g)) counted += Number(m[1]);
    for (const m of text.matchAll(/\((\d+) more tasks?\) not shown/g)) counted += Number(m[1]);
  }
  for (const times of linkedIn.values()) duplicates += times - 1;
  const invocations = source.invocations;
  return {
    events: stops.length,
    accounted,
    duplicates,
    messages: sink.messages().length,
    failed: failedIds.size,
    failedShown: linkedIn.size + counted,
    invocations: invocations.length,
    invokeP99Ms: percentile(
      invocations.map((i) => i.durationMs),
      99,
    ),
    invokeCpuP99Ms: percentile(
      invocations.map((i) => i.cpuMs),
      99,
    ),
    peakRssMb: Math.max(...invocations.map((i) => i.peakRssMb)),
    deadLetters: source.deadLetters.length,
  };
}
