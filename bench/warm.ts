import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEcsApi } from '../local/ecs-api.js';
import { startSlackSink } from '../local/slack-sink.js';
import { progress, spawnChild } from './child.js';
import { recurringTasks, sqsBatch, taskDefinitionsOf } from './fixtures.js';
import { lambdaEnvironment } from './lambda-env.js';
import type { WorkerInput, WorkerOutput } from './worker-io.js';

const WORKER = path.join(import.meta.dirname, 'invoke-worker.mjs');
/** Families the warm events take turns in (each event still a task stop of its own). */
const WARM_FAMILIES = 8;

/** Runs `input` through a bundle in one warm worker process; `env` is the Lambda's environment. */
export async function runWorker(
  bundle: string,
  input: WorkerInput,
  env: NodeJS.ProcessEnv,
): Promise<WorkerOutput> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-bench-worker-'));
  try {
    const inputFile = path.join(dir, 'input.json');
    const outputFile = path.join(dir, 'output.json');
    writeFileSync(inputFile, JSON.stringify(input));
    await spawnChild(process.execPath, [WORKER, bundle, inputFile, outputFile], { env }).exited;
    return JSON.parse(readFileSync(outputFile, 'utf8')) as WorkerOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface WarmFigures {
  notifierMs: number[];
  baselineMs: number[];
}

/**
 * Per-event time of a warm handler: after `warmup` events, `events` more, each a one-record SQS
 * batch of a task stop of its own (so idempotency skips none), with the real clients against the
 * local ECS API and Slack sink. Pacing is set far above the event rate, so it is not what is timed.
 */
export async function measureWarm(
  bundles: { notifier: string; baseline: string },
  deployedEnvironment: Record<string, string>,
  events: number,
  warmup: number,
): Promise<WarmFigures> {
  // A few jobs recurring, as in production: their task definitions are read once, then kept.
  const tasks = recurringTasks(warmup + events, WARM_FAMILIES, 2);
  const ecs = await startEcsApi({
    tasks: tasks.map((t) => t.described),
    taskDefinitions: taskDefinitionsOf(tasks),
  });
  const sink = await startSlackSink();
  const env = lambdaEnvironment(deployedEnvironment, { ecs: ecs.url, webhook: sink.hookUrl }, 1_000_000);
  const input: WorkerInput = {
    batches: tasks.map((t, i) => sqsBatch([t.event], i) as WorkerInput['batches'][number]),
    warmup,
    maxReceives: 1,
  };
  try {
    progress(`warm: ${warmup} + ${events} events through the notifier`);
    const notifier = await runWorker(bundles.notifier, input, env);
    progress(`warm: ${warmup} + ${events} events through the baseline`);
    const baseline = await runWorker(bundles.baseline, input, env);
    const expected = 2 * tasks.length;
    if (sink.messages().length !== expected)
      throw new Error(`warm: the sink took ${sink.messages().length} messages, expected ${expected}`);
    return { notifierMs: notifier.durationsMs, baselineMs: baseline.durationsMs };
  } finally {
    await Promise.all([ecs.close(), sink.close()]);
  }
}
