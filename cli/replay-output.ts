import { DEFAULT_ROUTE } from '../lambda/domain/delivery/routes.js';
import { subjectOf } from '../lambda/domain/report/keys.js';
import type { Subject } from '../lambda/domain/report/report.js';
import { formatTaskDefinition } from '../lambda/domain/task/arn.js';
import type { LogTailStatus, TaskLogs } from '../lambda/domain/task/task.js';
import type { EventResult } from '../lambda/pipeline/deliver.js';
import { visible, visibleJson } from './visible-text.js';

/**
 * The `--json` line for one event: what happened, to which task, and the exact payload. What a
 * terminal would act on (C1 controls, bidi overrides) is written as `\u` escapes, the same JSON.
 */
export function resultJson(file: string, index: number | undefined, result: EventResult): string {
  const task = result.report?.kind === 'task' ? result.report.task : result.task;
  const subject = subjectOfResult(result);
  return visibleJson(
    JSON.stringify({
      file,
      ...(index === undefined ? {} : { index }),
      status: result.status,
      reason: result.reason ?? null,
      kind: subject?.kind ?? (task ? 'task' : (result.kind ?? null)),
      subject: subject
        ? {
            family: subject.family ?? null,
            revision: subject.revision,
            cluster: subject.clusterArn ?? null,
            ...(subject.service ? { service: subject.service } : {}),
            ...(subject.job ? { job: subject.job } : {}),
            status: subject.status,
          }
        : null,
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
      logs: result.report?.kind === 'task' ? logsSummary(result.report.logs) : null,
      digest: digestOf(result) ?? null,
      routes: (result.routes ?? []).map((r) => ({
        name: r.route,
        status: r.status,
        reason: r.reason ?? null,
        digest: r.digest && r.messageId !== undefined ? r.messageId : null,
      })),
      message: result.message ?? null,
    }),
  );
}

/**
 * The digest an event went into: the number its message has in this run, shared by every event
 * of that digest (the first route's that sent one); `undefined` when it went in none.
 */
export function digestOf(result: EventResult): number | undefined {
  return result.routes?.find((r) => r.digest && r.status === 'notified' && r.messageId !== undefined)
    ?.messageId;
}

/**
 * How many log links the message has and what became of the tail: `shown`, `empty`, `denied`,
 * `unavailable`, `timeout`, `outside` (not in logGroups), `none` (nothing to read), or `off`
 * (not asked for, or no task definition was read). Unreadable task definitions add `unavailable`.
 */
export function logsSummary(logs: TaskLogs | undefined): {
  links: number;
  tail: LogTailStatus;
  unavailable?: string;
} {
  if (!logs) return { links: 0, tail: 'off' };
  return {
    links: logs.containers.filter((c) => c.stream).length,
    tail: logs.tail.status,
    ...(logs.unavailable === undefined ? {} : { unavailable: logs.unavailable }),
  };
}

/**
 * One readable line per event, the cross-check with its detail (why it is unavailable, what
 * DescribeTasks named instead). Nothing in it can act on a terminal: file names and snippets
 * of files are shown with their control characters escaped.
 */
export function resultLine(file: string, index: number | undefined, result: EventResult): string {
  const where = index === undefined ? file : `${file}#${index}`;
  const task = result.report?.kind === 'task' ? result.report.task : result.task;
  const subject = subjectOfResult(result);
  const digest = digestOf(result);
  const parts = [result.status.padEnd(8), where];
  if (digest !== undefined) parts.push(`(in digest #${digest})`);
  if (task) parts.push(formatTaskDefinition(task.family, task.revision));
  else if (subject) parts.push(subjectWords(subject));
  if (result.report) {
    const { status, detail } = result.report.crossCheck;
    parts.push(
      result.report.outcome,
      `[${result.report.source.label}]`,
      `cross-check: ${status}${detail ? ` (${detail})` : ''}`,
    );
    const logs = result.report.kind === 'task' ? result.report.logs : undefined;
    if (logs) {
      const { links, tail } = logsSummary(logs);
      parts.push(
        logs.unavailable === undefined
          ? `logs: ${links} link${links === 1 ? '' : 's'}, tail ${tail}`
          : `logs: task definition unavailable (${logs.unavailable})`,
      );
    }
  }
  // Which route got what, once there is more than the default one.
  const routes = result.routes ?? [];
  if (routes.some((r) => r.route !== DEFAULT_ROUTE))
    parts.push(`routes: ${routes.map((r) => `${r.route} ${r.status}`).join(', ')}`);
  if (result.reason) parts.push(`— ${result.reason}`);
  return visible(parts.join('  '));
}

/** What the result is about: its report's subject, or a skipped event's. */
function subjectOfResult(result: EventResult): Subject | undefined {
  return result.report ? subjectOf(result.report) : result.subject;
}

/** `web (service) SERVICE_TASK_PLACEMENT_FAILURE`, `job import:3 FAILED`: a kind's subject in a few words. */
function subjectWords(subject: Subject): string {
  const definition = subject.family ? formatTaskDefinition(subject.family, subject.revision) : undefined;
  const what =
    subject.kind === 'service' || subject.kind === 'deployment'
      ? `${subject.service} (${subject.kind})${definition ? ` ${definition}` : ''}`
      : subject.kind === 'batch'
        ? `job ${subject.job} (${definition})`
        : `${subject.kind} ${definition ?? ''}`.trim();
  return `${what} ${subject.status}`;
}

/** Counts a replay's results: events by status, and the messages and digests they made. */
export interface ReplayTally {
  add(result: EventResult): void;
  readonly events: number;
  /** Every event notified or skipped. */
  succeeded(): boolean;
  /** `12 events → 5 messages, 1 digest; 10 notified, 2 skipped, 0 rejected, 0 failed`. */
  summary(dryRun: boolean): string;
}

export function createReplayTally(): ReplayTally {
  const counts: Record<EventResult['status'], number> = { notified: 0, skipped: 0, rejected: 0, failed: 0 };
  // The events of one message share its messageId: count each message once.
  const messages = new Set<number>();
  const digests = new Set<number>();
  return {
    add(result) {
      counts[result.status]++;
      // A task stop on two routes is in two messages.
      for (const route of result.routes ?? []) {
        if (route.status !== 'notified' || route.messageId === undefined) continue;
        (route.digest ? digests : messages).add(route.messageId);
      }
    },
    get events() {
      return counts.notified + counts.skipped + counts.rejected + counts.failed;
    },
    succeeded: () => counts.rejected + counts.failed === 0,
    summary(dryRun) {
      const made = `${plural(messages.size, 'message')}, ${plural(digests.size, 'digest')}${dryRun ? ' (dry run: none sent)' : ''}`;
      const notified = `${counts.notified} ${dryRun ? 'would notify' : 'notified'}`;
      return `${plural(this.events, 'event')} → ${made}; ${notified}, ${counts.skipped} skipped, ${counts.rejected} rejected, ${counts.failed} failed`;
    },
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
