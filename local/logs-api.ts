import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ListenOptions, listen, type RunningServer, readBody, sendJson } from './http.js';

type Json = Record<string, unknown>;

const TARGET_PREFIX = 'Logs_20140328.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** GetLogEvents returns at most this many events a page. */
const MAX_LIMIT = 10_000;

/** One log event as GetLogEvents returns it. */
export interface LocalLogEvent {
  timestamp: number;
  message: string;
  /** @default one second after `timestamp` */
  ingestionTime?: number;
}

/** A stream and its events (any order; they are served by timestamp). */
export interface LocalLogStream {
  group: string;
  stream: string;
  events: readonly LocalLogEvent[];
}

export interface LogsApiOptions extends ListenOptions {
  streams: readonly LocalLogStream[];
  /** Groups that exist without streams yet. @default the streams' groups */
  groups?: readonly string[];
}

/** The local CloudWatch Logs API, and what was asked of it. */
export interface LogsApi extends RunningServer {
  /** Adds events to a stream (creating it and its group), as logs arriving late would. */
  put(group: string, stream: string, events: readonly LocalLogEvent[]): void;
  /** Every request's operation and input, in order. */
  requests: { operation: string; input: Json }[];
}

/**
 * CloudWatch Logs as the SDK speaks it (JSON 1.1, `X-Amz-Target: Logs_20140328.*`), `GetLogEvents`
 * only, close to the real one: the newest `limit` events by default (`startFromHead: false`), the
 * oldest with `startFromHead: true`, `startTime`/`endTime`, and tokens to page either way
 * (`nextForwardToken` `f/…`, `nextBackwardToken` `b/…`; at either end the token sent comes back).
 * A missing group or stream is `ResourceNotFoundException`. Any credentials are accepted.
 */
export async function startLogsApi(options: LogsApiOptions): Promise<LogsApi> {
  const groups = new Map<string, Map<string, LocalLogEvent[]>>();
  for (const group of options.groups ?? []) groups.set(group, new Map());
  const put = (group: string, stream: string, events: readonly LocalLogEvent[]) => {
    const streams = groups.get(group) ?? new Map<string, LocalLogEvent[]>();
    groups.set(group, streams);
    const all = [...(streams.get(stream) ?? []), ...events];
    streams.set(
      stream,
      all.sort((a, b) => a.timestamp - b.timestamp),
    );
  };
  for (const s of options.streams) put(s.group, s.stream, s.events);
  const requests: LogsApi['requests'] = [];
  const server = await listen((req, res) => handle(req, res, groups, requests), options);
  return { ...server, put, requests };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  groups: Map<string, Map<string, LocalLogEvent[]>>,
  requests: LogsApi['requests'],
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  const body = await readBody(req);
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
    return awsError(
      res,
      'UnknownOperationException',
      `unknown target ${JSON.stringify(target)}: send POST with X-Amz-Target ${TARGET_PREFIX}GetLogEvents`,
    );
  }
  const operation = target.slice(TARGET_PREFIX.length);
  let input: Json;
  try {
    input = JSON.parse(body || '{}') as Json;
  } catch {
    return awsError(res, 'SerializationException', 'the request body is not JSON');
  }
  requests.push({ operation, input });
  if (operation !== 'GetLogEvents') {
    return awsError(
      res,
      'UnknownOperationException',
      `${operation} is not supported by the local CloudWatch Logs API (GetLogEvents only)`,
    );
  }
  const answer = getLogEvents(input, groups);
  if ('error' in answer) return awsError(res, answer.error, answer.message);
  sendJson(res, 200, answer.ok, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() });
}

type Answer = { ok: Json } | { error: string; message: string };

function getLogEvents(input: Json, groups: Map<string, Map<string, LocalLogEvent[]>>): Answer {
  const invalid = (message: string) => ({ error: 'InvalidParameterException', message });
  const { logGroupName, logGroupIdentifier, logStreamName } = input;
  if ((logGroupName === undefined) === (logGroupIdentifier === undefined))
    return invalid('Exactly one of logGroupName or logGroupIdentifier must be specified.');
  const group = String(logGroupName ?? logGroupIdentifier).replace(
    /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/,
    '',
  );
  if (typeof logStreamName !== 'string' || logStreamName === '')
    return invalid('logStreamName must be specified.');
  const limit = input.limit === undefined ? MAX_LIMIT : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    return invalid(`limit must be between 1 and ${MAX_LIMIT}.`);
  const fromHead = input.startFromHead === true;
  const token = typeof input.nextToken === 'string' ? input.nextToken : undefined;
  const position = token === undefined ? undefined : /^([fb])\/(\d+)\/s$/.exec(token);
  if (token !== undefined && !position) return invalid('The specified nextToken is invalid.');
  if (position?.[1] === 'f' && !fromHead)
    return invalid('A nextForwardToken must be used with startFromHead set to true.');

  const streams = groups.get(group);
  if (!streams)
    return { error: 'ResourceNotFoundException', message: 'The specified log group does not exist.' };
  const events = streams.get(logStreamName);
  if (!events)
    return { error: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' };
  const from = typeof input.startTime === 'number' ? input.startTime : Number.NEGATIVE_INFINITY;
  const to = typeof input.endTime === 'number' ? input.endTime : Number.POSITIVE_INFINITY;
  const window = events.filter((e) => e.timestamp >= from && e.timestamp < to);

  let start: number;
  let end: number;
  if (position) {
    const at = Math.min(Number(position[2]), window.length);
    [start, end] =
      position[1] === 'f' ? [at, Math.min(window.length, at + limit)] : [Math.max(0, at - limit), at];
  } else {
    [start, end] = fromHead
      ? [0, Math.min(window.length, limit)]
      : [Math.max(0, window.length - limit), window.length];
  }
  return {
    ok: {
      events: window.slice(start, end).map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime ?? e.timestamp + 1000,
      })),
      nextForwardToken: tokenAt('f', end),
      nextBackwardToken: tokenAt('b', start),
    },
  };
}

/** Tokens shaped like the real ones: a direction, a 56-digit position, `s`. */
function tokenAt(direction: 'f' | 'b', position: number): string {
  return `${direction}/${String(position).padStart(56, '0')}/s`;
}

function awsError(res: ServerResponse, type: string, message: string): void {
  sendJson(
    res,
    400,
    { __type: type, message },
    { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
  );
}
