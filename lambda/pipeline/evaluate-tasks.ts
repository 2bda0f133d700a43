import pMap from 'p-map';
import type { DescribeTasksFn } from '../adapters/ecs.js';
import { crossCheckTask, type DescribeResult } from '../domain/report/cross-check.js';
import { filterOutcome, filterTask } from '../domain/report/filters.js';
import { classifyOutcome, taskDurationMs } from '../domain/report/outcome.js';
import { resolveSource } from '../domain/report/source.js';
import type { Task, TaskReport } from '../domain/task/task.js';
import type { EvaluateDeps, Evaluation } from './evaluate.js';

/** Clusters described at once; each describes its chunks of 100 in parallel too, within bounds. */
const CLUSTER_CONCURRENCY = 4;

/**
 * Task events: cross-checked with DescribeTasks (one call per cluster for up to 100 tasks),
 * filtered again on what it filled in, the source resolved and the outcome classified. One
 * evaluation per task, in order; a task whose evaluation throws is rejected, alone.
 */
export async function evaluateTasks(
  tasks: readonly Task[],
  deps: EvaluateDeps,
  unreadable: (error: unknown) => Evaluation,
): Promise<Evaluation[]> {
  deps.onTasks?.(tasks);
  const described = await describeAll(tasks, deps.describeTasks);
  return Promise.all(
    tasks.map((task) =>
      evaluateTask(task, described.get(task.taskArn) ?? { kind: 'not-run' }, deps).catch(unreadable),
    ),
  );
}

async function evaluateTask(
  eventTask: Task,
  result: DescribeResult,
  deps: EvaluateDeps,
): Promise<Evaluation> {
  const { task, crossCheck } = crossCheckTask(eventTask, result);
  const skipAfterCheck = filterTask(task, deps.config);
  if (skipAfterCheck) return { status: 'skipped', reason: skipAfterCheck, task };
  const match = await resolveSource(task, deps.config, deps.lookupVpc);
  if ('skip' in match) return { status: 'skipped', reason: match.skip, task };
  const report: TaskReport = {
    kind: 'task',
    task,
    source: match.source,
    outcome: classifyOutcome(task),
    crossCheck,
    durationMs: taskDurationMs(task),
  };
  const skipOutcome = filterOutcome(report.outcome, deps.config);
  if (skipOutcome) return { status: 'skipped', reason: skipOutcome, task, report };
  return { status: 'ready', report };
}

/** One DescribeTasks batch per cluster and region. */
async function describeAll(
  tasks: readonly Task[],
  describeTasks?: DescribeTasksFn,
): Promise<Map<string, DescribeResult>> {
  const results = new Map<string, DescribeResult>();
  if (!describeTasks) return results;
  const byCluster = new Map<string, { region: string; clusterArn: string; arns: Set<string> }>();
  for (const task of tasks) {
    const key = `${task.region} ${task.clusterArn}`;
    const entry = byCluster.get(key) ?? { region: task.region, clusterArn: task.clusterArn, arns: new Set() };
    entry.arns.add(task.taskArn);
    byCluster.set(key, entry);
  }
  const answers = await pMap(
    byCluster.values(),
    ({ region, clusterArn, arns }) => describeTasks(clusterArn, region, [...arns]),
    { concurrency: CLUSTER_CONCURRENCY },
  );
  for (const answer of answers) for (const [arn, result] of answer) results.set(arn, result);
  return results;
}
