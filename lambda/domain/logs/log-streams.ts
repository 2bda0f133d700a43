import { nameMatches } from '../config/name-pattern.js';
import { partitionOfRegion, REGION } from '../task/arn.js';
import type { ContainerLog, LogStreamRef, Task } from '../task/task.js';
import type { ContainerDefinition, TaskDefinition } from '../task/task-definition.js';

/**
 * Where each container of the task logs, in the task definition's order. For `awslogs` the stream
 * is `<awslogs-stream-prefix>/<container>/<task ID>`; without a prefix (EC2 only) it is the
 * container's runtime ID. The group's region is `awslogs-region` when set, else the task's.
 */
export function containerLogs(task: Task, definition: TaskDefinition): ContainerLog[] {
  return definition.containers.map((c) => containerLog(task, c));
}

function containerLog(task: Task, definition: ContainerDefinition): ContainerLog {
  const container = definition.name;
  const driver = definition.logDriver;
  if (driver === undefined) return { container };
  if (driver !== 'awslogs') return { container, driver };
  const options = definition.logOptions;
  const group = options['awslogs-group'];
  if (!group) return { container, driver, note: 'no awslogs-group option' };
  const regionOption = options['awslogs-region'];
  if (regionOption !== undefined && !REGION.test(regionOption))
    return { container, driver, note: 'awslogs-region is not a region' };
  const region = regionOption ?? task.region;
  const prefix = options['awslogs-stream-prefix'];
  let stream: string;
  if (prefix) stream = `${prefix}/${container}/${task.taskId}`;
  else {
    const runtimeId = task.containers.find((c) => c.name === container)?.runtimeId;
    if (!runtimeId)
      return { container, driver, note: 'no stream prefix, and no runtime ID to name the stream' };
    stream = runtimeId;
  }
  const ref = { group, stream, region, partition: partitionOfRegion(region), account: task.account };
  return { container, driver, stream: ref };
}

/**
 * The container whose log explains the failure: the first essential one (task definition order)
 * with a non-zero or missing exit code. Containers the task does not list are passed over.
 */
export function failedContainer(task: Task, definition: TaskDefinition): string | undefined {
  const states = new Map(task.containers.map((c) => [c.name, c]));
  return definition.containers.find((c) => {
    if (!c.essential) return false;
    const state = states.get(c.name);
    if (!state && task.containers.length > 0) return false;
    return state?.exitCode !== 0;
  })?.name;
}

/**
 * Whose log tail a message shows: the failed container; when none failed (a task that succeeded,
 * for a `logTail` that asks for those too), the first essential one the task lists.
 */
export function tailContainer(task: Task, definition: TaskDefinition): string | undefined {
  const listed = new Set(task.containers.map((c) => c.name));
  return (
    failedContainer(task, definition) ??
    definition.containers.find((c) => c.essential && (listed.size === 0 || listed.has(c.name)))?.name
  );
}

/** Whether a log group is one of `patterns` (`logGroups`: names, or prefixes ending in `*`). */
export function logGroupAllowed(group: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => nameMatches(p, group));
}

/** The stream a container logs to, if it is known. */
export function streamOf(logs: readonly ContainerLog[], container: string): LogStreamRef | undefined {
  return logs.find((l) => l.container === container)?.stream;
}
