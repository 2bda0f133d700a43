import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { startEcsApi } from '../local/ecs-api.js';
import { startSlackSink } from '../local/slack-sink.js';
import { progress, spawnChild } from './child.js';
import { benchTask, sqsBatch } from './fixtures.js';
import { lambdaEnvironment } from './lambda-env.js';
import { type Spread, spread } from './stats.js';

/** Imports the bundle and hands it one SQS batch, as the Lambda runtime would at a cold start. */
const INVOKE_ONCE = `
const { handler } = await import(process.argv[1]);
await handler(JSON.parse(process.argv[2]), { getRemainingTimeInMillis: () => 60000, awsRequestId: 'bench' });
process.exit(0);
`;

export interface ColdFigures {
  notifier: Spread;
  baseline: Spread;
  runs: number;
}

/**
 * Spawns a fresh Node process per run that loads a bundle and handles one STOPPED event against
 * the local ECS API and Slack sink; times each from spawn until the sink holds the message. The
 * notifier and the baseline alternate, and which goes first alternates too.
 */
export async function measureColdStarts(
  bundles: { notifier: string; baseline: string },
  deployedEnvironment: Record<string, string>,
  runs: number,
): Promise<ColdFigures> {
  const task = benchTask(1, 'cold', 1);
  const ecs = await startEcsApi({ tasks: [task.described], taskDefinitions: [task.taskDefinition] });
  const sink = await startSlackSink();
  const env = lambdaEnvironment(deployedEnvironment, { ecs: ecs.url, webhook: sink.hookUrl }, 1);
  const batch = JSON.stringify(sqsBatch([task.event]));
  const times = { notifier: [] as number[], baseline: [] as number[] };
  try {
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? (['notifier', 'baseline'] as const) : (['baseline', 'notifier'] as const);
      for (const which of order) {
        const before = sink.messages().length;
        const start = performance.now();
        const { exited } = spawnChild(
          process.execPath,
          ['--input-type=module', '-e', INVOKE_ONCE, pathToFileURL(bundles[which]).href, batch],
          { env, timeoutMs: 60_000 },
        );
        const exitedFirst = exited.then(() => {
          if (sink.messages().length <= before) throw new Error(`the ${which} exited without posting`);
        });
        await Promise.race([untilMoreThan(() => sink.messages().length, before, 60_000), exitedFirst]);
        times[which].push(performance.now() - start);
        await exited;
      }
      progress(
        `cold start ${run + 1}/${runs}: notifier ${times.notifier.at(-1)?.toFixed(0)} ms, baseline ${times.baseline.at(-1)?.toFixed(0)} ms`,
      );
    }
  } finally {
    await Promise.all([ecs.close(), sink.close()]);
  }
  return { notifier: spread(times.notifier), baseline: spread(times.baseline), runs };
}

/** Resolves once `count()` exceeds `before`, checking every millisecond; rejects after `timeoutMs`. */
function untilMoreThan(count: () => number, before: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (count() > before || performance.now() > deadline) {
        clearInterval(timer);
        if (count() > before) resolve();
        else reject(new Error(`no message within ${timeoutMs} ms`));
      }
    }, 1);
  });
}
