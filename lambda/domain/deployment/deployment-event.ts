import * as z from 'zod/mini';
import { parseWith } from '../config/validation.js';
import { type ServiceIdentity, serviceIdentity } from '../service/service-identity.js';
import { present } from '../task/task-from-ecs.js';
import { parseTimestamp } from '../task/timestamp.js';

/** The `detail-type` of a service deployment's state changes. */
export const DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change';

export const DEPLOYMENT_EVENT_NAMES = [
  'SERVICE_DEPLOYMENT_IN_PROGRESS',
  'SERVICE_DEPLOYMENT_COMPLETED',
  'SERVICE_DEPLOYMENT_FAILED',
] as const;

/**
 * What a rollback's `reason` holds (`ECS deployment circuit breaker: rolling back to …`): the one
 * in-progress event that is news. The rule matches the same words (`*rolling back*`).
 */
export const ROLLING_BACK = 'rolling back';

/** One `ECS Deployment State Change` event. */
export interface DeploymentChange {
  eventId?: string;
  service: ServiceIdentity;
  eventType?: string;
  eventName: string;
  deploymentId: string;
  /** ECS's words: `ECS deployment circuit breaker: task failed to start.` */
  reason?: string;
  updatedAt?: Date;
  /** When this event was sent (the envelope's `time`). */
  time?: Date;
}

const text = z.string().check(z.minLength(1, 'must not be empty'));
const optionalText = z.optional(z.nullable(z.string()));

const DeploymentSchema = z.object({
  id: optionalText,
  time: optionalText,
  resources: z.array(z.string()).check(z.minLength(1, "must name the service's ARN")),
  detail: z.object({
    eventType: optionalText,
    eventName: text,
    deploymentId: text,
    clusterArn: optionalText,
    reason: optionalText,
    updatedAt: optionalText,
  }),
});

/** Reads an `ECS Deployment State Change` event; throws a ValidationError naming the field. */
export function deploymentChangeFromEvent(raw: unknown): DeploymentChange {
  const event = parseWith(DeploymentSchema, raw, '');
  const { detail } = event;
  return {
    // Older events name no cluster but in the service ARN (resources[0]).
    service: serviceIdentity(event.resources[0] as string, 'resources[0]', detail.clusterArn),
    eventName: detail.eventName,
    deploymentId: detail.deploymentId,
    ...present({
      eventId: event.id,
      eventType: detail.eventType,
      reason: detail.reason,
      updatedAt: parseTimestamp(detail.updatedAt),
      time: parseTimestamp(event.time),
    }),
  };
}

/** A deployment that started rolling back (the circuit breaker, or an alarm). */
export function isRollback(change: Pick<DeploymentChange, 'eventName' | 'reason'>): boolean {
  return (
    change.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS' && (change.reason ?? '').includes(ROLLING_BACK)
  );
}

/** Why a deployment event is not notified, or `undefined`: failures and rollbacks are. */
export function deploymentSkipReason(
  change: Pick<DeploymentChange, 'eventName' | 'reason'>,
): string | undefined {
  if (change.eventName === 'SERVICE_DEPLOYMENT_FAILED' || isRollback(change)) return undefined;
  return change.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS'
    ? 'SERVICE_DEPLOYMENT_IN_PROGRESS is not notified unless it rolls back'
    : `${change.eventName.slice(0, 80)} is not notified (deployment events: SERVICE_DEPLOYMENT_FAILED, and rollbacks)`;
}
