import { groupBy } from '../collections.js';
import type { ContainerState, Outcome, TaskReport } from '../task/task.js';
import { truncate } from './slack-text.js';

/**
 * Why a task ended as it did, in words a reader acts on: `core` is what must never be cut
 * (`import out of memory (exit 137)`, `could not start`), `detail` what the event said beside it
 * (a stop reason, a container's reason), which may be. Both hold outside text: plain text only.
 */
export interface Cause {
  core: string;
  detail?: string;
  /** The container it is about, when it is about one. */
  container?: string;
}

/** Reports that ended the same way: the same outcome and cause. */
export interface CauseGroup<R> {
  outcome: Outcome;
  /** The cause as one line, e.g. `import out of memory (exit 137)`. */
  cause: string;
  reports: R[];
}

/** Causes are compared on this many characters, so near-identical long reasons still group. */
const CAUSE_LENGTH = 200;

// What the stop codes and exit codes mean, from "Stopped tasks error codes" and "Why is my Amazon
// ECS task stopped?" (common exit codes): https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html,
// https://repost.aws/knowledge-center/ecs-task-stopped, and the API's Task.stopCode.

/** Exit codes by what a shell or the kernel meant by them. */
const EXIT_MEANINGS: Record<number, string> = {
  1: 'exited with an error',
  126: 'could not run its command',
  127: 'command not found',
  137: 'was killed: out of memory or SIGKILL',
  139: 'crashed: segfault',
  143: 'got SIGTERM',
};

/** What an exit code meant to a shell or the kernel: `exited with an error` for 1, `exited` for any unknown. */
export function exitMeaning(exitCode: number): string {
  return EXIT_MEANINGS[exitCode] ?? 'exited';
}

/** The stop codes that say who stopped a task, before any container's exit code does. */
const STOPPED_BY = new Set([
  'TaskFailedToStart',
  'UserInitiated',
  'ServiceSchedulerInitiated',
  'SpotInterruption',
  'TerminationNotice',
]);

/** ECS's own stock reasons: they say nothing the stop code does not. */
const STOCK_REASON =
  /^(Essential container in task exited|Task stopped by user|Your Spot Task was interrupted\.?|Taskfailedtostart)$/i;

const OUT_OF_MEMORY = /OutOfMemory|\bOOM/i;

/**
 * Why the task ended: for a task stopped from outside (a user, the scheduler, Spot, a failed
 * start), what stopped it; else its failed container (the one whose log tail is shown, else the
 * first to exit non-zero or run out of memory) with its exit code explained; else the stop code.
 * `undefined` for a task that succeeded or is still running, or when the event says nothing.
 */
export function causeOf(report: TaskReport): Cause | undefined {
  const { task, outcome } = report;
  if (outcome === 'succeeded' || (outcome === 'in-progress' && !task.stopCode)) return undefined;
  const reason = meaningful(task.stoppedReason);
  if (task.stopCode && STOPPED_BY.has(task.stopCode)) return stopCause(task.stopCode, reason, report);
  const container = failedContainer(report);
  if (container) return containerCause(container);
  if (task.stopCode) return stopCause(task.stopCode, reason, report);
  return reason ? { core: reason } : undefined;
}

/** The cause as one line of at most `max` characters; only the detail is cut. */
export function causeLine(cause: Cause, max: number): string {
  if (!cause.detail) return truncate(cause.core, max);
  const room = max - cause.core.length - 2;
  return room < 12 ? truncate(cause.core, max) : `${cause.core}: ${truncate(cause.detail, room)}`;
}

function failedContainer(report: TaskReport): ContainerState | undefined {
  const { containers } = report.task;
  const failed = (c: ContainerState) => (c.exitCode !== null && c.exitCode !== 0) || isOutOfMemory(c.reason);
  const tail = report.logs?.tail;
  const tailed = tail && 'container' in tail ? containers.find((c) => c.name === tail.container) : undefined;
  return (
    (tailed && failed(tailed) ? tailed : undefined) ??
    containers.find((c) => c.exitCode !== null && c.exitCode !== 0) ??
    containers.find((c) => isOutOfMemory(c.reason))
  );
}

function containerCause(container: ContainerState): Cause {
  const { name, exitCode } = container;
  const reason = meaningful(container.reason);
  const exit = exitCode === null ? '' : ` (exit ${exitCode})`;
  if (isOutOfMemory(reason)) return { core: `${name} out of memory${exit}`, container: name };
  const meaning = exitCode === null ? '' : ` ${EXIT_MEANINGS[exitCode] ?? 'exited'}`;
  return { core: `${name}${meaning}${exit}`, container: name, ...(reason ? { detail: reason } : {}) };
}

function stopCause(code: string, reason: string | undefined, report: TaskReport): Cause {
  const detail = reason ? { detail: reason } : {};
  switch (code) {
    case 'TaskFailedToStart': {
      // The reason a container gives (CannotPullContainerError …) when the task's says nothing.
      const why = reason ?? report.task.containers.map((c) => meaningful(c.reason)).find(Boolean);
      return { core: 'could not start', ...(why ? { detail: why } : {}) };
    }
    case 'SpotInterruption':
      return { core: 'Spot interruption: AWS reclaimed the capacity', ...detail };
    case 'TerminationNotice':
      return /spot/i.test(report.task.stoppedReason ?? '') ||
        /SPOT/.test(report.task.capacityProviderName ?? '')
        ? { core: 'Spot interruption: AWS reclaimed the capacity', ...detail }
        : { core: 'its host is being terminated', ...detail };
    case 'UserInitiated':
      return { core: 'stopped by a user', ...detail };
    case 'ServiceSchedulerInitiated': {
      const deployment = /^Scaling activity initiated by \(?(deployment [^)]+)\)?$/i.exec(reason ?? '')?.[1];
      if (deployment) return { core: `scaled in by ${deployment}` };
      if (/health ?check/i.test(reason ?? '')) return { core: 'failed its health checks', ...detail };
      return { core: 'stopped by the service scheduler', ...detail };
    }
    case 'EssentialContainerExited':
      return { core: 'an essential container exited', ...detail };
    default:
      return { core: code, ...detail };
  }
}

/** A reason worth showing: not blank, not ECS's stock words for the stop code. */
function meaningful(reason: string | undefined): string | undefined {
  const text = reason?.replace(/\s+/g, ' ').trim();
  return text && !STOCK_REASON.test(text) ? text : undefined;
}

function isOutOfMemory(reason: string | undefined): boolean {
  return reason !== undefined && OUT_OF_MEMORY.test(reason);
}

/**
 * The reports that did not succeed nor are still running, grouped by outcome and cause (`causeOf`,
 * compared on its first 200 characters), largest first.
 */
export function groupByCause<R extends { outcome: Outcome }>(
  reports: readonly R[],
  causeOf: (report: R, max: number) => string | undefined,
): CauseGroup<R>[] {
  const ended = reports
    .filter((r) => r.outcome !== 'succeeded' && r.outcome !== 'in-progress')
    .map((report) => ({ report, cause: causeOf(report, CAUSE_LENGTH) ?? 'no reason given' }));
  const groups = groupBy(ended, ({ report, cause }) => `${report.outcome}\u0000${cause}`).map(
    (members): CauseGroup<R> => {
      const { report, cause } = members[0] as (typeof ended)[number];
      return { outcome: report.outcome, cause, reports: members.map((m) => m.report) };
    },
  );
  // Failures before stops, then the largest; a stable sort keeps first-seen order for ties.
  return groups.sort(
    (a, b) =>
      Number(b.outcome === 'failed') - Number(a.outcome === 'failed') || b.reports.length - a.reports.length,
  );
}
