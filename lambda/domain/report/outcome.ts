import type { Outcome, Task } from '../task/task.js';

/** Stop codes that mean someone or something stopped a task that had not finished by itself. */
const STOPPED_FROM_OUTSIDE = new Set([
  'UserInitiated',
  'ServiceSchedulerInitiated',
  'SpotInterruption',
  'TerminationNotice',
]);

/**
 * What happened to a task. Only a STOPPED task has an outcome; every other status is
 * `in-progress` (a DEPROVISIONING event may already carry the stop code and exit codes).
 */
export function classifyOutcome(task: Task): Outcome {
  if (task.lastStatus !== 'STOPPED') return 'in-progress';
  if (task.stopCode === 'TaskFailedToStart') return 'failed';
  if (task.containers.some((c) => isOutOfMemory(c.reason))) return 'failed';
  if (task.stopCode === 'EssentialContainerExited') return allExitedZero(task) ? 'succeeded' : 'failed';
  if (task.stopCode && STOPPED_FROM_OUTSIDE.has(task.stopCode)) {
    // The scheduler also stops tasks that failed their ELB or container health checks.
    const failedChecks =
      task.stopCode === 'ServiceSchedulerInitiated' && /\bfail/i.test(task.stoppedReason ?? '');
    return failedChecks ? 'failed' : 'stopped';
  }
  if (task.containers.some((c) => c.exitCode !== null && c.exitCode !== 0)) return 'failed';
  return allExitedZero(task) ? 'succeeded' : 'stopped';
}

function allExitedZero(task: Task): boolean {
  return task.containers.length > 0 && task.containers.every((c) => c.exitCode === 0);
}

function isOutOfMemory(reason: string | undefined): boolean {
  return reason !== undefined && /OutOfMemory|OOM/i.test(reason);
}

/** Milliseconds from start (or creation) to stop; `null` until the task has stopped. */
export function taskDurationMs(task: Task): number | null {
  const from = task.startedAt ?? task.createdAt;
  if (!from || !task.stoppedAt) return null;
  return Math.max(0, task.stoppedAt.getTime() - from.getTime());
}
