import { formatTaskDefinition } from '../lambda/domain/arn.js';
import type { EventResult } from '../lambda/pipeline/deliver.js';

/** The `--json` line for one event: what happened, to which task, and the exact payload. */
export function resultJson(file: string, index: number | undefined, result: EventResult): string {
  const task = result.report?.task ?? result.task;
  return JSON.stringify({
    file,
    ...(index === undefined ? {} : { index }),
    status: result.status,
    reason: result.reason ?? null,
    task: task
      ? {
          family: task.family,
          revision: task.revision,
          cluster: task.cluster,
          taskArn: task.taskArn,
          lastStatus: task.lastStatus,
          source: result.report?.source.label ?? null,
        }
      : null,
    outcome: result.report?.outcome ?? null,
    crossCheck: result.report?.crossCheck.status ?? null,
    message: result.message ?? null,
  });
}

/** One readable line per event. */
export function resultLine(file: string, index: number | undefined, result: EventResult): string {
  const where = index === undefined ? file : `${file}#${index}`;
  const task = result.report?.task ?? result.task;
  const parts = [result.status.padEnd(8), where];
  if (task) parts.push(formatTaskDefinition(task.family, task.revision));
  if (result.report) {
    parts.push(
      result.report.outcome,
      `[${result.report.source.label}]`,
      `cross-check: ${result.report.crossCheck.status}`,
    );
  }
  if (result.reason) parts.push(`— ${result.reason}`);
  return parts.join('  ');
}

export function summaryLine(counts: Record<EventResult['status'], number>, dryRun: boolean): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const notified = dryRun ? 'would notify' : 'notified';
  return `${total} events: ${counts.notified} ${notified}, ${counts.skipped} skipped, ${counts.rejected} rejected, ${counts.failed} failed`;
}
