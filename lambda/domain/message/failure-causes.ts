import { groupBy } from '../collections.js';
import type { Outcome, TaskReport } from '../task/task.js';
import { truncate } from './slack-text.js';

/** Tasks that ended the same way: the same outcome, exit code and reason, or stop code and reason. */
export interface CauseGroup {
  outcome: Outcome;
  /** As the event says it, e.g. `exit 137 — OutOfMemoryError: Container killed due to memory usage`. */
  cause: string;
  reports: TaskReport[];
}

/** Causes are compared on this many characters, so near-identical long reasons still group. */
const CAUSE_LENGTH = 200;

/**
 * Why a task did not succeed, in one line: the first container that exited non-zero (or ran out
 * of memory) with its exit code and reason, else the stop code and the stop reason.
 */
export function causeOf(report: TaskReport): string {
  const { task } = report;
  const container =
    task.containers.find((c) => c.exitCode !== null && c.exitCode !== 0) ??
    task.containers.find((c) => c.reason !== undefined && /OutOfMemory|OOM/i.test(c.reason));
  // "Essential container in task exited" says nothing the exit code does not.
  const taskReason = task.stopCode === 'EssentialContainerExited' ? undefined : task.stoppedReason;
  const parts = container
    ? [
        container.exitCode === null ? 'no exit code' : `exit ${container.exitCode}`,
        container.reason ?? taskReason,
      ]
    : [task.stopCode ?? 'no stop code', task.stoppedReason];
  const line = parts
    .filter((p): p is string => Boolean(p?.trim()))
    .join(' — ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(line, CAUSE_LENGTH);
}

/** The reports that did not succeed nor are still running, grouped by outcome and cause, largest first. */
export function groupByCause(reports: readonly TaskReport[]): CauseGroup[] {
  const ended = reports
    .filter((r) => r.outcome !== 'succeeded' && r.outcome !== 'in-progress')
    .map((report) => ({ report, cause: causeOf(report) }));
  const groups = groupBy(ended, ({ report, cause }) => `${report.outcome}\u0000${cause}`).map(
    (members): CauseGroup => {
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
