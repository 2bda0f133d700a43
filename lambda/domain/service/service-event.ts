import * as z from 'zod/mini';
import { parseWith } from '../config/validation.js';
import { present } from '../task/task-from-ecs.js';
import { parseTimestamp } from '../task/timestamp.js';
import { type ServiceIdentity, serviceIdentity } from './service-identity.js';

/** The `detail-type` of a service's own events. */
export const SERVICE_ACTION = 'ECS Service Action';

/** The service events that say its tasks cannot start or be placed: the ones notified. */
export const SERVICE_FAILURES = [
  'SERVICE_TASK_START_IMPAIRED',
  'SERVICE_TASK_PLACEMENT_FAILURE',
  'SERVICE_TASK_CONFIGURATION_FAILURE',
] as const;

/** Every service action event name AWS documents (routes may name any of them). */
export const SERVICE_EVENT_NAMES = [
  ...SERVICE_FAILURES,
  'SERVICE_STEADY_STATE',
  'TASKSET_STEADY_STATE',
  'CAPACITY_PROVIDER_STEADY_STATE',
  'SERVICE_DISCOVERY_INSTANCE_UNHEALTHY',
] as const;

/** One `ECS Service Action` event: which service, what happened, and why when it says. */
export interface ServiceAction {
  /** The EventBridge event's ID: a repeat has its own, a redelivery the same. */
  eventId?: string;
  service: ServiceIdentity;
  /** `INFO`, `WARN` or `ERROR`. */
  eventType?: string;
  eventName: string;
  /** `RESOURCE:MEMORY`, `RESOURCE:FARGATE`, …: placement failures say why. */
  reason?: string;
  /** Capacity provider names (`FARGATE_SPOT`) the event names. */
  capacityProviders: string[];
  /** Container instance IDs the event names. */
  containerInstances: string[];
  /** When ECS first reported it: repeats of an impaired service keep the first one's. */
  createdAt?: Date;
  /** When this event was sent (the envelope's `time`). */
  time?: Date;
}

const text = z.string().check(z.minLength(1, 'must not be empty'));
const optionalText = z.optional(z.nullable(z.string()));

const ServiceActionSchema = z.object({
  id: optionalText,
  time: optionalText,
  resources: z.array(z.string()).check(z.minLength(1, "must name the service's ARN")),
  detail: z.object({
    eventType: optionalText,
    eventName: text,
    clusterArn: optionalText,
    reason: optionalText,
    capacityProviderArns: z.optional(z.nullable(z.array(z.string()))),
    containerInstanceArns: z.optional(z.nullable(z.array(z.string()))),
    createdAt: optionalText,
  }),
});

/** Reads an `ECS Service Action` event; throws a ValidationError naming the field. */
export function serviceActionFromEvent(raw: unknown): ServiceAction {
  const event = parseWith(ServiceActionSchema, raw, '');
  const { detail } = event;
  return {
    service: serviceIdentity(event.resources[0] as string, 'resources[0]', detail.clusterArn),
    eventName: detail.eventName,
    capacityProviders: (detail.capacityProviderArns ?? []).map(lastPart),
    containerInstances: (detail.containerInstanceArns ?? []).map(lastPart),
    ...present({
      eventId: event.id,
      eventType: detail.eventType,
      reason: detail.reason,
      createdAt: parseTimestamp(detail.createdAt),
      time: parseTimestamp(event.time),
    }),
  };
}

/** Why a service event is not notified, or `undefined`: only the failures to start or place are. */
export function serviceSkipReason(action: Pick<ServiceAction, 'eventName'>): string | undefined {
  if ((SERVICE_FAILURES as readonly string[]).includes(action.eventName)) return undefined;
  return `${action.eventName.slice(0, 80)} is not notified (service events: ${SERVICE_FAILURES.join(', ')})`;
}

/** `FARGATE_SPOT` of `arn:…:capacity-provider/FARGATE_SPOT`. */
function lastPart(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
