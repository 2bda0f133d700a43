import type { Task, TaskReport } from '../task/task.js';
import { formatImage, formatTaskSize } from '../task/task-resources.js';
import { formatDuration } from '../task/timestamp.js';
import type { FirstLine } from './first-line.js';
import { type FieldRow, truncate } from './slack-text.js';

/**
 * The details under the first line, each said once: where it ran (the cluster only when the
 * source label does not already name it), when, the cause's whole detail when the first line cut
 * it, who started it, its group when it is not just the family, the other containers, and for a
 * failure the image and size. At most eight rows; blank ones are left out.
 */
export function detailRows(report: TaskReport, first: FirstLine): FieldRow[] {
  const { task, outcome } = report;
  const failed = outcome === 'failed';
  return [
    ['Ran on', ranOn(report)],
    ['When', when(task, report.durationMs)],
    ['Reason', first.detailCut ? first.cause?.detail : undefined],
    ['Started by', task.startedBy],
    ['Group', task.group === `family:${task.family}` ? undefined : task.group],
    [namedContainer(task, first) ? 'Other containers' : 'Containers', otherContainers(task, first)],
    ['Image', failed ? images(task, first) : undefined],
    ['Size', failed ? formatTaskSize(task.cpu, task.memory) : undefined],
  ];
}

/** `batch-b · vpc-0a1b2c3d · EC2 · us-east-2b`: what the first line's source label does not say. */
function ranOn(report: TaskReport): string | undefined {
  const { task, source } = report;
  // An unconfigured source's label names the cluster (`batch-b (111122223333, eu-west-1)`); a configured one may.
  const named = source.label.split(/[\s(),·]+/).includes(task.clusterName);
  const cluster = named ? undefined : task.clusterName;
  const capacity = task.capacityProviderName ?? task.launchType;
  const parts = [cluster, source.vpcId, capacity, task.availabilityZone ?? task.region];
  const shown = [...new Set(parts.filter((p): p is string => Boolean(p?.trim())))];
  return shown.length === 0 ? undefined : shown.join(' · ');
}

/** `07:00:04 → 07:15:09 UTC · 15m 05s`, with the date only where the day changed. */
export function when(task: Task, durationMs: number | null): string | undefined {
  const from = (task.startedAt ?? task.createdAt)?.toISOString();
  const to = task.stoppedAt?.toISOString();
  const took = durationMs === null ? '' : ` · ${formatDuration(durationMs)}`;
  if (from && to) {
    const end = from.slice(0, 10) === to.slice(0, 10) ? clock(to) : `${to.slice(0, 10)} ${clock(to)}`;
    return `${clock(from)} → ${end} UTC${took}`;
  }
  if (to) return `stopped ${clock(to)} UTC`;
  if (from) return `${task.startedAt ? 'started' : 'created'} ${clock(from)} UTC`;
  return undefined;
}

/** `07:15:09` of an ISO time. */
function clock(iso: string): string {
  return iso.slice(11, 19);
}

/** The containers the first line does not name: `log-router exit 0`, one a line. */
function otherContainers(task: Task, first: FirstLine): string | undefined {
  const named = namedContainer(task, first);
  // A container that never ran (no exit code, no reason) has nothing to tell.
  const others = task.containers.filter((c) => c !== named && (c.exitCode !== null || c.reason));
  // One container whose exit the first line gives, or a success's: nothing to add.
  if (others.length === 0 || (task.containers.length === 1 && !first.cause)) return undefined;
  return others
    .slice(0, 10)
    .map((c) => {
      const exit = c.exitCode === null ? 'no exit code' : `exit ${c.exitCode}`;
      return `${truncate(c.name, 60)} ${exit}${c.reason ? ` — ${truncate(c.reason, 120)}` : ''}`;
    })
    .join('\n');
}

/** The image that failed (the named container's), else every container's; repository:tag @digest. */
function images(task: Task, first: FirstLine): string | undefined {
  const named = namedContainer(task, first);
  const lines = (named ? [named] : task.containers).slice(0, 5).flatMap((c) => {
    const image = formatImage(c.image, c.imageDigest);
    return image ? [named ? image : `${truncate(c.name, 40)}: ${image}`] : [];
  });
  return lines.length === 0 ? undefined : lines.join('\n');
}

/** The container the first line's cause names, when it names one. */
function namedContainer(task: Task, first: FirstLine) {
  const name = first.cause?.container;
  return name === undefined ? undefined : task.containers.find((c) => c.name === name);
}
