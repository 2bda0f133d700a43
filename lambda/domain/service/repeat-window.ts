import type { ServiceAction } from './service-event.js';

/** An impaired service repeats its event every few minutes: one message per hour, then a count. */
export const REPEAT_WINDOW_MS = 3_600_000;

/** The window an event falls in: its start, from the event's own time (so a replay agrees). */
export function windowStart(action: Pick<ServiceAction, 'time' | 'createdAt'>): number | undefined {
  const at = (action.time ?? action.createdAt)?.getTime();
  return at === undefined ? undefined : Math.floor(at / REPEAT_WINDOW_MS) * REPEAT_WINDOW_MS;
}

/**
 * What repeats of one event share within a window: the service, the event's name and the
 * window's start. An event that says no time is a window of its own.
 */
export function repeatKey(
  action: Pick<ServiceAction, 'service' | 'eventName' | 'eventId' | 'time' | 'createdAt'>,
  start = windowStart(action),
): string {
  const window = start === undefined ? `event ${action.eventId ?? 'unknown'}` : new Date(start).toISOString();
  return `${action.service.serviceArn}#${action.eventName}#${window}`;
}
