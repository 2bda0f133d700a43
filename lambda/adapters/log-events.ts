import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogStreamRef } from '../domain/task/task.js';
import { type ClientFor, clientsByPlace, describeError } from './aws.js';

/** What reading the end of a log stream gave. */
export type LogEventsRead =
  /** Messages oldest first; `more` when the page was full, so older events may remain. */
  | { kind: 'events'; messages: string[]; more: boolean }
  /** The group or stream does not exist (yet: logs can arrive after the event). */
  | { kind: 'missing' }
  | { kind: 'denied'; reason: string }
  /** Throttled, failed or cut short: the error's name, never a secret. */
  | { kind: 'unavailable'; reason: string }
  /** Not asked (a saved file that does not answer for this stream). */
  | { kind: 'not-run' };

export interface LogEventsQuery {
  /** Most events to read, newest first. */
  limit: number;
  /** Epoch milliseconds: older events are left out (fewer empty pages, as the API advises). */
  startTime?: number;
  /** Aborts the request when the caller runs out of time. */
  signal?: AbortSignal;
}

/** Reads the last events of one stream; never rejects. */
export type ReadLogEventsFn = (stream: LogStreamRef, query: LogEventsQuery) => Promise<LogEventsRead>;

export interface LogEventsAdapterOptions {
  /** Defaults to one `CloudWatchLogsClient` per region and reader role, built once. */
  clientFor?: ClientFor<CloudWatchLogsClient>;
  /** Roles to read other accounts' logs with, by `"ACCOUNT:REGION"` (`readerRoles`). */
  readerRoles?: Readonly<Record<string, string>>;
}

/**
 * CloudWatch Logs `GetLogEvents` (`startFromHead: false`) through the real client: one call per
 * read. `ResourceNotFoundException` is `missing`, `AccessDeniedException` `denied`.
 */
export function createReadLogEvents(options: LogEventsAdapterOptions = {}): ReadLogEventsFn {
  const clientFor =
    options.clientFor ??
    clientsByPlace(
      (region, credentials) =>
        new CloudWatchLogsClient({
          region,
          ...(credentials ? { credentials } : {}),
          maxAttempts: 2,
          requestHandler: { requestTimeout: 2000, connectionTimeout: 1000 },
        }),
      options.readerRoles,
    );
  return async (stream, query) => {
    try {
      const answer = await clientFor(stream.region, stream.account).send(
        new GetLogEventsCommand({
          logGroupName: stream.group,
          logStreamName: stream.stream,
          startFromHead: false,
          limit: query.limit,
          ...(query.startTime === undefined ? {} : { startTime: query.startTime }),
        }),
        query.signal ? { abortSignal: query.signal } : {},
      );
      const events = answer.events ?? [];
      return {
        kind: 'events',
        messages: events.map((e) => e.message ?? ''),
        more: events.length >= query.limit,
      };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ResourceNotFoundException') return { kind: 'missing' };
      if (name === 'AccessDeniedException') return { kind: 'denied', reason: describeError(error) };
      return { kind: 'unavailable', reason: describeError(error) };
    }
  };
}
