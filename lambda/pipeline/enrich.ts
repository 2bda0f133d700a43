import pMap from 'p-map';
import type { LogEventsRead, ReadLogEventsFn } from '../adapters/log-events.js';
import type { DescribeTaskDefinitionFn } from '../adapters/task-definitions.js';
import type { LogTailConfig, NotifierConfig } from '../domain/config/config.js';
import { containerLogs, logGroupAllowed, streamOf, tailContainer } from '../domain/logs/log-streams.js';
import { selectTailLines } from '../domain/logs/log-tail.js';
import type { Report } from '../domain/report/report.js';
import type { LogStreamRef, LogTail, Task, TaskLogs, TaskReport } from '../domain/task/task.js';
import type { TaskDefinition, TaskDefinitionAnswer } from '../domain/task/task-definition.js';
import { type DecisionLogger, type ReportEnricher, SEND_ALLOWANCE_MS } from './deliver.js';

export interface EnrichDeps {
  config: Pick<NotifierConfig, 'sources' | 'logTail' | 'logGroups'>;
  /** Omitted: no task definition is read, so messages say nothing about logs. */
  describeTaskDefinition?: DescribeTaskDefinitionFn;
  /** Omitted: no tail is read. */
  readLogEvents?: ReadLogEventsFn;
  /** Whether a tail may be read from a group. @default in `config.logGroups` (none: no tail) */
  groupAllowed?: (group: string) => boolean;
  /** Longest an enrichment may take, late-log retries included. @default 5000 */
  budgetMs?: number;
  /** Waits before reading an empty or missing stream again. @default [1000, 2000] */
  retryDelaysMs?: readonly number[];
  logger?: DecisionLogger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A {@link ReportEnricher} that can also start reading task definitions before it is called. */
export interface TaskReportEnricher extends ReportEnricher {
  /** Starts DescribeTaskDefinition for the revisions these tasks name, so it overlaps other calls. */
  prefetch(tasks: readonly Pick<Task, 'taskDefinitionArn' | 'region' | 'revision'>[]): void;
}

/** The longest an enrichment takes by default, late-log retries included; sends are planned after it. */
export const ENRICH_BUDGET_MS = 5000;

/** DescribeTaskDefinition calls and GetLogEvents calls in flight at once. */
export const ENRICH_CONCURRENCY = 4;

/** Revisions kept per instance; a revision never changes, so only memory bounds this. */
const CACHE_SIZE = 500;

/** Log events read per tail: enough to count what is left out, small enough to stay cheap. */
const EVENTS_PER_READ = 50;

/** Events this long before the task was created cannot be its own (a stream per task). */
const START_SLACK_MS = 5 * 60_000;

/**
 * Adds to each report its containers' log streams (from DescribeTaskDefinition, read once per
 * `family:revision` and kept for the life of the instance) and, for the outcomes `logTail` names,
 * the failed container's last log lines (GetLogEvents, from a group `logGroups` allows only, tried
 * again while the stream is empty or missing). Ends by the deadline less the send allowance, or
 * after `budgetMs`; never throws, never drops a report.
 */
export function createReportEnricher(deps: EnrichDeps): TaskReportEnricher {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const groupAllowed =
    deps.groupAllowed ?? ((group: string) => logGroupAllowed(group, deps.config.logGroups));
  const cache = new Map<string, Promise<TaskDefinitionAnswer>>();

  const definitionOf = (taskDefinitionArn: string, region: string): Promise<TaskDefinitionAnswer> => {
    const describe = deps.describeTaskDefinition;
    if (!describe) return Promise.resolve({ kind: 'not-run' });
    let answer = cache.get(taskDefinitionArn);
    if (!answer) {
      answer = describe(taskDefinitionArn, region).catch(
        (error: Error): TaskDefinitionAnswer => ({ kind: 'unavailable', reason: error.name }),
      );
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(taskDefinitionArn, answer);
      // Throttling and timeouts pass: only an answer that stays true is kept.
      void answer.then((a) => {
        if (a.kind === 'unavailable' && !a.lasting) cache.delete(taskDefinitionArn);
      });
    }
    return answer;
  };

  const enrich = async <R extends Report>(all: R[], deadline: number): Promise<R[]> => {
    if (!deps.describeTaskDefinition) return all;
    // Only a task's report has a task definition to read; the others go as they are.
    const reports = all.filter((r): r is R & TaskReport => r.kind === 'task');
    if (reports.length === 0) return all;
    const done = await enrichTasks(reports, deadline);
    const byReport = new Map<Report, Report>(reports.map((r, i) => [r, done[i] ?? r]));
    return all.map((r) => (byReport.get(r) ?? r) as R);
  };

  const enrichTasks = async (reports: TaskReport[], deadline: number): Promise<TaskReport[]> => {
    try {
      const end = Math.min(deadline - SEND_ALLOWANCE_MS, now() + (deps.budgetMs ?? ENRICH_BUDGET_MS));
      const wanted = new Map<string, string>();
      for (const r of reports)
        if (r.task.revision !== null) wanted.set(r.task.taskDefinitionArn, r.task.region);
      const answers = new Map<string, TaskDefinitionAnswer>();
      await pMap(
        wanted,
        async ([arn, region]) => {
          const answer = await beforeEnd(definitionOf(arn, region), end, now);
          answers.set(arn, answer ?? { kind: 'unavailable', reason: 'DescribeTaskDefinition timed out' });
        },
        { concurrency: ENRICH_CONCURRENCY },
      );
      const planned = reports.map((report) => plan(report, answers.get(report.task.taskDefinitionArn)));
      return await pMap(
        planned,
        async (p) => {
          if (!p.read) return p.report;
          const tail = await readTail(p.read, p.report.task, end);
          if (tail.status === 'denied' || tail.status === 'unavailable')
            deps.logger?.warn('log tail not read', { taskArn: p.report.task.taskArn, reason: tail.detail });
          return { ...p.report, logs: { ...(p.report.logs as TaskLogs), tail } };
        },
        { concurrency: ENRICH_CONCURRENCY },
      );
    } catch (error) {
      // Enrichment only adds to a message: the message goes without it rather than not at all.
      deps.logger?.error('could not add log links', { error: (error as Error).name });
      return reports;
    }
  };

  /** The report with its log streams, and the tail to read if one is wanted and allowed. */
  const plan = (
    report: TaskReport,
    answer: TaskDefinitionAnswer | undefined,
  ): { report: TaskReport; read?: { container: string; stream: LogStreamRef; lines: number } } => {
    if (!answer || answer.kind === 'not-run') return { report };
    const settings = tailSettings(report, deps.config) || undefined;
    const lines = settings?.outcomes.includes(report.outcome) && deps.readLogEvents ? settings.lines : 0;
    const wanted = lines > 0;
    if (answer.kind === 'unavailable') {
      deps.logger?.warn('task definition not read', {
        taskArn: report.task.taskArn,
        taskDefinitionArn: report.task.taskDefinitionArn,
        reason: answer.reason,
      });
      const logs: TaskLogs = {
        unavailable: answer.reason,
        containers: [],
        tail: { status: wanted ? 'none' : 'off' },
      };
      return { report: { ...report, logs } };
    }
    const task = withDefinitionFacts(report.task, answer.definition);
    const containers = containerLogs(task, answer.definition);
    const done = (tail: LogTail) => ({ report: { ...report, task, logs: { containers, tail } } });
    if (!wanted) return done({ status: 'off' });
    const container = tailContainer(task, answer.definition);
    const stream = container === undefined ? undefined : streamOf(containers, container);
    if (container === undefined || !stream) return done({ status: 'none' });
    if (!groupAllowed(stream.group)) {
      // No logGroups at all means "no tail", not a warning on every message.
      if (deps.config.logGroups.length === 0 && !deps.groupAllowed) return done({ status: 'off' });
      return done({ status: 'outside', container, detail: `log group ${stream.group} is not in logGroups` });
    }
    return { ...done({ status: 'none' }), read: { container, stream, lines } };
  };

  /** Reads the tail, again after each retry delay while the stream is empty or missing, until `end`. */
  const readTail = async (
    read: { container: string; stream: LogStreamRef; lines: number },
    task: Task,
    end: number,
  ): Promise<LogTail> => {
    const created = task.createdAt ?? task.startedAt;
    const delays = deps.retryDelaysMs ?? [1000, 2000];
    for (let attempt = 0; ; attempt++) {
      const controller = new AbortController();
      const answer = await beforeEnd(
        (deps.readLogEvents as ReadLogEventsFn)(read.stream, {
          limit: EVENTS_PER_READ,
          ...(created ? { startTime: Math.max(0, created.getTime() - START_SLACK_MS) } : {}),
          signal: controller.signal,
        }),
        end,
        now,
      );
      if (!answer) {
        controller.abort();
        return {
          status: 'timeout',
          container: read.container,
          detail: 'CloudWatch Logs did not answer in time',
        };
      }
      const tail = tailOf(answer, read);
      if (tail) return tail;
      const delay = delays[attempt];
      if (delay === undefined || now() + delay >= end) return { status: 'empty', container: read.container };
      await sleep(delay);
    }
  };

  return Object.assign(enrich, {
    prefetch(tasks: readonly Pick<Task, 'taskDefinitionArn' | 'region' | 'revision'>[]) {
      if (!deps.describeTaskDefinition) return;
      for (const t of tasks) if (t.revision !== null) void definitionOf(t.taskDefinitionArn, t.region);
    },
  });
}

/** The tail an answer makes, or `undefined` when there is nothing yet (try again). */
function tailOf(answer: LogEventsRead, read: { container: string; lines: number }): LogTail | undefined {
  switch (answer.kind) {
    case 'events': {
      const selected = selectTailLines(answer.messages, read.lines);
      if (selected.lines.length === 0) return undefined;
      return { status: 'shown', container: read.container, ...selected, more: answer.more };
    }
    case 'missing':
      return undefined;
    case 'denied':
      return { status: 'denied', container: read.container, detail: answer.reason };
    case 'unavailable':
      return { status: 'unavailable', container: read.container, detail: answer.reason };
    case 'not-run':
      return { status: 'off' };
  }
}

/** The source's own `logTail`, else the top-level one. */
function tailSettings(report: TaskReport, config: EnrichDeps['config']): LogTailConfig {
  const source = report.source.configured
    ? config.sources.find((s) => s.label === report.source.label && s.clusterArn === report.task.clusterArn)
    : undefined;
  return source?.logTail ?? config.logTail;
}

/** The task with its size and images from the task definition where the event and DescribeTasks had none. */
function withDefinitionFacts(task: Task, definition: TaskDefinition): Task {
  const images = new Map(definition.containers.map((c) => [c.name, c.image]));
  return {
    ...task,
    ...(task.cpu === undefined && definition.cpu ? { cpu: definition.cpu } : {}),
    ...(task.memory === undefined && definition.memory ? { memory: definition.memory } : {}),
    containers: task.containers.map((c) => {
      const image = c.image ?? images.get(c.name);
      return image === undefined ? c : { ...c, image };
    }),
  };
}

/** The promise's value, or `undefined` if `end` (epoch ms) comes first; one already settled always wins. */
async function beforeEnd<T>(promise: Promise<T>, end: number, now: () => number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, end - now()));
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
