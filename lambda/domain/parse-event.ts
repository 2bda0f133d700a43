import { EnvelopeSchema, TASK_STATE_CHANGE } from './event-schema.js';
import type { Task } from './task.js';
import { taskFromEcs } from './task-from-ecs.js';
import { parseWith, ValidationError } from './validation.js';

export type ParsedEvent =
  | { kind: 'task'; task: Task }
  | { kind: 'skip'; reason: string }
  | { kind: 'reject'; reason: string };

/**
 * Reads an EventBridge event. Other `detail-type`s are skipped with a reason; a task event
 * missing what the message needs is rejected with the field named (`detail.taskArn is required`).
 */
export function parseEvent(raw: unknown): ParsedEvent {
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
    return { kind: 'task', task: taskFromEcs(envelope.detail, 'detail') };
  } catch (error) {
    if (error instanceof ValidationError) return { kind: 'reject', reason: error.message };
    throw error;
  }
}
