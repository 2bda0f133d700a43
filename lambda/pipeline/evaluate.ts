import type { DescribeJobsFn } from '../adapters/batch.js';
import type { DescribeTasksFn } from '../adapters/ecs.js';
import type { DescribeServicesFn } from '../adapters/ecs-services.js';
import { type BatchJob, batchSkipReason } from '../domain/batch/batch-job.js';
import type { NotifierConfig } from '../domain/config/config.js';
import { deploymentSkipReason } from '../domain/deployment/deployment-event.js';
import { describeUnexpected } from '../domain/errors.js';
import { launchSkipReason } from '../domain/launch/launch-event.js';
import { filterTask } from '../domain/report/filters.js';
import { subjectOf } from '../domain/report/keys.js';
import { type ParsedEvent, parseEvent } from '../domain/report/parse-event.js';
import type { Report, ReportKind, Subject } from '../domain/report/report.js';
import type { SubnetVpcLookup } from '../domain/report/source.js';
import { serviceSkipReason } from '../domain/service/service-event.js';
import type { Task } from '../domain/task/task.js';
import { evaluateJobs } from './evaluate-jobs.js';
import { evaluateLaunches, launchReport } from './evaluate-launches.js';
import { bareServiceReport, evaluateServiceEvents, type ServiceEvent } from './evaluate-services.js';
import { evaluateTasks } from './evaluate-tasks.js';

/** What the pipeline decided for one event, before anything is sent. */
export type Evaluation =
  | { status: 'rejected'; reason: string; kind?: ReportKind }
  | { status: 'skipped'; reason: string; task?: Task; subject?: Subject; report?: Report }
  | { status: 'ready'; report: Report };

export interface EvaluateDeps {
  config: Pick<NotifierConfig, 'sources' | 'notifyOn' | 'ignoreGroups' | 'outcomes'> &
    Partial<Pick<NotifierConfig, 'events'>>;
  /** Omitted: the task cross-check is `not-run`. */
  describeTasks?: DescribeTasksFn;
  /** Omitted: the service and deployment cross-check is `not-run`. */
  describeServices?: DescribeServicesFn;
  /** Omitted: the Batch job cross-check is `not-run`. */
  describeJobs?: DescribeJobsFn;
  lookupVpc?: SubnetVpcLookup;
  /** Told the tasks worth a cross-check before it starts, so other reads can overlap it. */
  onTasks?: (tasks: readonly Task[]) => void;
}

/** A parsed event that goes on to be evaluated. */
type Parsed = Exclude<ParsedEvent, { kind: 'skip' } | { kind: 'reject' }>;

/**
 * Turns events into decisions: parse (by kind), filter, cross-check (DescribeTasks,
 * DescribeServices, DescribeJobs, each batched), resolve the source and classify the outcome.
 * Messages are built when they are sent. Never throws: a bad event is `rejected` with the field
 * named, and each event is judged alone, so nothing in one event (an unexpected error included)
 * can decide its neighbours' fate.
 */
export async function evaluateEvents(events: readonly unknown[], deps: EvaluateDeps): Promise<Evaluation[]> {
  const parsed = events.map((raw): Evaluation | Parsed => {
    try {
      return parseOne(raw, deps);
    } catch (error) {
      return unreadable(error);
    }
  });
  const out: (Evaluation | undefined)[] = parsed.map((p) => ('status' in p ? p : undefined));
  const pending = <K extends Parsed['kind']>(kind: K) =>
    parsed.flatMap((p, index) =>
      !('status' in p) && p.kind === kind ? [{ index, event: p as Extract<Parsed, { kind: K }> }] : [],
    );
  const place = (items: { index: number }[], evaluations: Evaluation[]) => {
    for (const [i, item] of items.entries()) out[item.index] = evaluations[i];
  };
  const tasks = pending('task');
  const services = [...pending('service'), ...pending('deployment')].sort((a, b) => a.index - b.index);
  const launches = pending('launch');
  const jobs = pending('batch');
  await Promise.all([
    evaluateTasks(
      tasks.map((t) => t.event.task),
      deps,
      unreadable,
    ).then((e) => place(tasks, e)),
    evaluateServiceEvents(
      services.map((s) => s.event as ServiceEvent),
      deps,
      unreadable,
    ).then((e) => place(services, e)),
    evaluateLaunches(
      launches.map((l) => l.event.launch),
      deps,
      unreadable,
    ).then((e) => place(launches, e)),
    evaluateJobs(
      jobs.map((j) => j.event.job),
      deps,
      unreadable,
    ).then((e) => place(jobs, e)),
  ]);
  return out.map((e) => e ?? { status: 'rejected', reason: 'could not be read: no decision was made' });
}

function parseOne(raw: unknown, deps: EvaluateDeps): Evaluation | Parsed {
  const event = parseEvent(raw, deps.config);
  switch (event.kind) {
    case 'reject':
      return { status: 'rejected', reason: event.reason, ...(event.of ? { kind: event.of } : {}) };
    case 'skip':
      return { status: 'skipped', reason: event.reason };
    case 'task': {
      const skip = filterTask(event.task, deps.config);
      return skip ? { status: 'skipped', reason: skip, task: event.task } : event;
    }
    case 'service':
    case 'deployment': {
      const skip =
        event.kind === 'service' ? serviceSkipReason(event.action) : deploymentSkipReason(event.change);
      return skip ? { status: 'skipped', reason: skip, subject: subjectOf(bareServiceReport(event)) } : event;
    }
    case 'launch':
      return skipped(event, launchSkipReason(event.launch), subjectOf(launchReport(event.launch, NO_SOURCE)));
    case 'batch':
      return skipped(event, batchSkipReason(event.job), bareJobSubject(event.job));
  }
}

function skipped(event: Parsed, reason: string | undefined, subject?: Subject): Evaluation | Parsed {
  if (!reason) return event;
  return { status: 'skipped', reason, ...(subject ? { subject } : {}) };
}

/** What a report made before its source is known says it is about (for a skip). */
const NO_SOURCE = { label: '', configured: false };

function bareJobSubject(job: BatchJob): Subject {
  return subjectOf({
    kind: 'batch',
    job,
    source: NO_SOURCE,
    outcome: 'in-progress',
    crossCheck: { status: 'not-run' },
  });
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
