import { BATCH_JOB_STATE_CHANGE, type BatchJob, batchJobFrom } from '../batch/batch-job.js';
import type { NotifierConfig } from '../config/config.js';
import { parseWith, ValidationError } from '../config/validation.js';
import {
  DEPLOYMENT_STATE_CHANGE,
  type DeploymentChange,
  deploymentChangeFromEvent,
} from '../deployment/deployment-event.js';
import { API_CALL_VIA_CLOUDTRAIL, type FailedLaunch, launchFromEvent } from '../launch/launch-event.js';
import { SERVICE_ACTION, type ServiceAction, serviceActionFromEvent } from '../service/service-event.js';
import { EnvelopeSchema, TASK_STATE_CHANGE } from '../task/event-schema.js';
import type { Task } from '../task/task.js';
import { taskFromEcs } from '../task/task-from-ecs.js';
import { filterTask } from './filters.js';
import type { ReportKind } from './report.js';

export type ParsedEvent =
  | { kind: 'task'; task: Task }
  | { kind: 'service'; action: ServiceAction }
  | { kind: 'deployment'; change: DeploymentChange }
  | { kind: 'launch'; launch: FailedLaunch }
  | { kind: 'batch'; job: BatchJob }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string; of?: ReportKind };

type Filters = Pick<NotifierConfig, 'notifyOn' | 'ignoreGroups'> & Partial<Pick<NotifierConfig, 'events'>>;

/** Each kind's `detail-type`, and the `source` its events come from. */
const KINDS: Record<string, { kind: ReportKind; source: string }> = {
  [TASK_STATE_CHANGE]: { kind: 'task', source: 'aws.ecs' },
  [SERVICE_ACTION]: { kind: 'service', source: 'aws.ecs' },
  [DEPLOYMENT_STATE_CHANGE]: { kind: 'deployment', source: 'aws.ecs' },
  [API_CALL_VIA_CLOUDTRAIL]: { kind: 'launch', source: 'aws.ecs' },
  [BATCH_JOB_STATE_CHANGE]: { kind: 'batch', source: 'aws.batch' },
};

/**
 * Reads an EventBridge event of any kind the notifier knows, by its `detail-type` (and
 * `source`): a task's state change, a service's action, a deployment's state change, a RunTask
 * call CloudTrail recorded, a Batch job's state change. Other events, and kinds not in `events`
 * (`["task"]` by default), are skipped with a reason; an event missing what its message needs is
 * rejected with the field named (`detail.deploymentId is required`). A task event is first
 * filtered, then required, as the EventBridge rule does.
 */
export function parseEvent(raw: unknown, filters?: Filters): ParsedEvent {
  try {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return { kind: 'reject', reason: 'the event is not a JSON object' };
    }
    const envelope = parseWith(EnvelopeSchema, raw, '');
    const type = envelope['detail-type'];
    const known = KINDS[type];
    if (!known)
      return { kind: 'skip', reason: `not an event the notifier reads: detail-type ${quoted(type)}` };
    if (envelope.source !== undefined && envelope.source !== known.source) {
      const from = known.source === 'aws.batch' ? 'Batch' : 'ECS';
      return { kind: 'skip', reason: `not from ${from}: source ${quoted(String(envelope.source))}` };
    }
    const { kind } = known;
    if (kind === 'launch') {
      const call = runTaskCall(envelope.detail);
      if (call) return { kind: 'skip', reason: call };
    }
    const events = filters?.events ?? ['task'];
    if (!events.includes(kind))
      return { kind: 'skip', reason: `a ${kind} event: "${kind}" is not in events (${events.join(', ')})` };
    try {
      return read(kind, raw, envelope.detail, filters);
    } catch (error) {
      if (error instanceof ValidationError)
        return { kind: 'reject', reason: error.message, ...(kind === 'task' ? {} : { of: kind }) };
      throw error;
    }
  } catch (error) {
    if (error instanceof ValidationError) return { kind: 'reject', reason: error.message };
    throw error;
  }
}

function read(kind: ReportKind, raw: unknown, detail: unknown, filters?: Filters): ParsedEvent {
  switch (kind) {
    case 'task':
      try {
        return { kind: 'task', task: taskFromEcs(detail, 'detail') };
      } catch (error) {
        const skip = filters && error instanceof ValidationError ? filterPartial(detail, filters) : undefined;
        if (skip) return { kind: 'skip', reason: skip };
        throw error;
      }
    case 'service':
      return { kind: 'service', action: serviceActionFromEvent(raw) };
    case 'deployment':
      return { kind: 'deployment', change: deploymentChangeFromEvent(raw) };
    case 'launch':
      return { kind: 'launch', launch: launchFromEvent(raw) };
    case 'batch':
      return { kind: 'batch', job: batchJobFrom(detail, 'detail') };
  }
}

/** Why an API call CloudTrail recorded is not a RunTask of ECS, or `undefined` when it is one. */
function runTaskCall(detail: unknown): string | undefined {
  const { eventSource, eventName } = (detail ?? {}) as { eventSource?: unknown; eventName?: unknown };
  if (eventSource === 'ecs.amazonaws.com' && eventName === 'RunTask') return undefined;
  return `not a RunTask call: ${quoted(String(eventSource))} ${quoted(String(eventName))}`;
}

/** The filters applied to what a partial event does carry: its status and group. */
function filterPartial(detail: unknown, filters: Filters): string | undefined {
  const { lastStatus, group } = (detail ?? {}) as { lastStatus?: unknown; group?: unknown };
  if (typeof lastStatus !== 'string') return undefined;
  return filterTask({ lastStatus, ...(typeof group === 'string' ? { group } : {}) }, filters);
}

function quoted(text: string): string {
  return JSON.stringify(text.slice(0, 80));
}
