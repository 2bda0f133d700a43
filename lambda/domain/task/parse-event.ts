import type { NotifierConfig } from '../config/config.js';
import { parseWith, ValidationError } from '../config/validation.js';
import { filterTask } from '../report/filters.js';
import { EnvelopeSchema, TASK_STATE_CHANGE } from './event-schema.js';
import type { Task } from './task.js';
import { taskFromEcs } from './task-from-ecs.js';

export type ParsedEvent =
  | { kind: 'task'; task: Task }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string };

/**
 * Reads an EventBridge event. Other `detail-type`s are skipped with a reason; a task event
 * missing what the message needs is rejected with the field named (`detail.taskArn is required`),
 * unless `filters` would skip it anyway (a status not in `notifyOn`, an ignored group): filtered
 * first, then required, as the EventBridge rule does.
 */
export function parseEvent(
  raw: unknown,
  filters?: Pick<NotifierConfig, 'notifyOn' | 'ignoreGroups'>,
): ParsedEvent {
  try {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return { kind: 'reject', reason: 'the event is not a JSON object' };
    }
    const envelope = parseWith(EnvelopeSchema, raw, '');
    const type = envelope['detail-type'];
    if (type !== TASK_STATE_CHANGE) {
      return { kind: 'skip', reason: `not a task event: detail-type ${JSON.stringify(type.slice(0, 80))}` };
    }
    if (envelope.source !== undefined && envelope.source !== 'aws.ecs') {
      return {
        kind: 'skip',
        reason: `not from ECS: source ${JSON.stringify(String(envelope.source).slice(0, 80))}`,
      };
    }
    try {
      return { kind: 'task', task: taskFromEcs(envelope.detail, 'detail') };
    } catch (error) {
      const skip =
        filters && error instanceof ValidationError ? filterPartial(envelope.detail, filters) : undefined;
      if (skip) return { kind: 'skip', reason: skip };
      throw error;
    }
  } catch (error) {
    if (error instanceof ValidationError) return { kind: 'reject', reason: error.message };
    throw error;
  }
}

/** The filters applied to what a partial event does carry: its status and group. */
function filterPartial(
  detail: unknown,
  filters: Pick<NotifierConfig, 'notifyOn' | 'ignoreGroups'>,
): string | undefined {
  const { lastStatus, group } = (detail ?? {}) as { lastStatus?: unknown; group?: unknown };
  if (typeof lastStatus !== 'string') return undefined;
  return filterTask({ lastStatus, ...(typeof group === 'string' ? { group } : {}) }, filters);
}
