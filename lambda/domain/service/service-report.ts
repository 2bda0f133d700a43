import type { Cause } from '../message/failure-causes.js';
import type { CrossCheck, Outcome, Source } from '../task/task.js';
import type { ServiceAction } from './service-event.js';
import type { ServiceFacts } from './service-facts.js';

/** How many repeats of a service event came since its last message, said once in the next. */
export interface RepeatsSince {
  count: number;
  /** When the last message went out (its event's time). */
  since?: Date;
}

/** A service whose tasks cannot start or be placed, as the message shows it. */
export interface ServiceReport {
  kind: 'service';
  action: ServiceAction;
  /** What DescribeServices said, when it answered. */
  facts?: ServiceFacts;
  source: Source;
  outcome: Outcome;
  crossCheck: CrossCheck;
  repeats?: RepeatsSince;
}

/** A failure to start or place tasks failed; a steady state succeeded; anything else is in progress. */
export function serviceOutcome(eventName: string): Outcome {
  if (eventName.endsWith('_FAILURE') || eventName.endsWith('_IMPAIRED') || eventName.endsWith('_UNHEALTHY'))
    return 'failed';
  return eventName.endsWith('_STEADY_STATE') ? 'succeeded' : 'in-progress';
}

// What the placement failure reasons mean, from "API failure reasons" in the ECS developer guide:
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
const PLACEMENT_REASONS: Record<string, string> = {
  'RESOURCE:CPU': 'no container instance has enough CPU left for a task',
  'RESOURCE:MEMORY': 'no container instance has enough memory left for a task',
  'RESOURCE:PORTS': 'the ports a task needs are taken on every container instance',
  'RESOURCE:GPU': 'no container instance has the GPUs a task needs',
  'RESOURCE:ENI': 'no container instance has an ENI left for an awsvpc task',
  'RESOURCE:FARGATE': 'Fargate has no capacity for the task now (Spot capacity goes first)',
  AGENT: 'the container agent on the instance is disconnected',
  ATTRIBUTE: 'no container instance has the attributes the placement constraints ask for',
};

/** The cause of a service event: what it cannot do, and the code ECS gave (never cut). */
export function serviceCause(report: ServiceReport): Cause {
  const { eventName, reason } = report.action;
  switch (eventName) {
    case 'SERVICE_TASK_PLACEMENT_FAILURE':
      return { core: reason ? `cannot place tasks: ${reason}` : 'cannot place tasks' };
    case 'SERVICE_TASK_START_IMPAIRED':
      return { core: 'cannot start tasks', ...(reason ? { detail: reason } : {}) };
    case 'SERVICE_TASK_CONFIGURATION_FAILURE':
      return { core: 'cannot configure its tasks', ...(reason ? { detail: reason } : {}) };
    default:
      return { core: eventName, ...(reason ? { detail: reason } : {}) };
  }
}

/** What a placement failure's reason code means, when ECS documents it. */
export function placementMeaning(reason: string | undefined): string | undefined {
  return reason === undefined ? undefined : PLACEMENT_REASONS[reason];
}

/** The service's own latest event message at or before the event (DescribeServices lists them). */
export function latestServiceMessage(report: ServiceReport): string | undefined {
  const at = report.action.time?.getTime() ?? Number.POSITIVE_INFINITY;
  return report.facts?.events.find((e) => (e.createdAt?.getTime() ?? 0) <= at + 60_000)?.message;
}
