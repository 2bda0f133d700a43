import pMap from 'p-map';
import type { DescribeTasksFn } from '../adapters/ecs.js';
import type { NotifierConfig } from '../domain/config/config.js';
import { describeUnexpected } from '../domain/errors.js';
import { crossCheckTask, type DescribeResult } from '../domain/report/cross-check.js';
import { filterOutcome, filterTask } from '../domain/report/filters.js';
import { classifyOutcome, taskDurationMs } from '../domain/report/outcome.js';
import { resolveSource, type SubnetVpcLookup } from '../domain/report/source.js';
import { parseEvent } from '../domain/task/parse-event.js';
import type { Task, TaskReport } from '../domain/task/task.js';

/** What the pipeline decided for one event, before anything is sent. */
export type Evaluation =
  | { status: 'rejected'; reason: string }
  | { status: 'skipped'; reason: string; task?: Task; report?: TaskReport }
  | { status: 'ready'; report: TaskReport };

export interface EvaluateDeps {
  config: Pick<NotifierConfig, 'sources' | 'notifyOn' | 'ignoreGroups' | 'outcomes'>;
  /** Omitted: the cross-check is `not-run`. */
  describeTasks?: DescribeTasksFn;
  lookupVpc?: SubnetVpcLookup;
  /** Told the tasks worth a cross-check before it starts, so other reads can overlap it. */
  onTasks?: (tasks: readonly Task[]) => void;
}

/**
 * Turns events into decisions: parse, filter, cross-check with DescribeTasks (one call per
 * cluster for up to 100 tasks), resolve the source and classify the outcome. Messages are built when they are sent.
 * Never throws: a bad event is `rejected` with the field named, and each event is judged alone,
 * so nothing in one event (an unexpected error included) can decide its neighbours' fate.
 */
export async function evaluateEvents(events: readonly unknown[], deps: EvaluateDeps): Promise<Evaluation[]> {
  const parsed = events.map((raw) => {
    try {
      return parseOne(raw, deps);
    } catch (error) {
      return unreadable(error);
    }
  });
  const tasks = parsed.filter((p): p is Task => 'taskArn' in p);
  deps.onTasks?.(tasks);
  const described = await describeAll(tasks, deps.describeTasks);

  return Promise.all(
    parsed.map(async (p): Promise<Evaluation> => {
      if (!('taskArn' in p)) return p;
      const result = described.get(p.taskArn) ?? { kind: 'not-run' };
      return evaluateTask(p, result, deps).catch(unreadable);
    }),
  );
}

function parseOne(raw: unknown, deps: EvaluateDeps): Evaluation | Task {
  const event = parseEvent(raw, deps.config);
  if (event.kind === 'reject') return { status: 'rejected', reason: event.reason };
  if (event.kind === 'skip') return { status: 'skipped', reason: event.reason };
  const skip = filterTask(event.task, deps.config);
  return skip ? { status: 'skipped', reason: skip, task: event.task } : event.task;
}

/** A bug tripped by one odd event (a lone surrogate, say) costs that event, never its batch. */
function unreadable(error: unknown): Evaluation {
  return { status: 'rejected', reason: `could not be read: ${describeUnexpected(error)}` };
}

/** An event as it arrived: its JSON, or why it could not be read (a record that is not JSON). */
export type EventInput = { event: unknown } | { error: string };

/** {@link evaluateEvents} for inputs some of which could not be read: those are `rejected`. */
export async function evaluateInputs(
  inputs: readonly EventInput[],
  deps: EvaluateDeps,
): Promise<Evaluation[]> {
  const readable = inputs.flatMap((input) => ('event' in input ? [input.event] : []));
  const evaluations = (await evaluateEvents(readable, deps)).values();
  return inputs.map((input) =>
    'error' in input ? { status: 'rejected', reason: input.error } : (evaluations.next().value as Evaluation),
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

/** Clusters described at once; each describes its chunks of 100 in parallel too, within bounds. */
const CLUSTER_CONCURRENCY = 4;

/** One DescribeTasks batch per cluster and region. */
async function describeAll(
  tasks: Task[],
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
