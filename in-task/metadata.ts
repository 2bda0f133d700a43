import { NotifierError } from '../lambda/domain/errors.js';
import type { Task } from '../lambda/domain/task/task.js';
import { taskFromMetadata } from './task-from-metadata.js';

export const METADATA_ENV = {
  v4: 'ECS_CONTAINER_METADATA_URI_V4',
  v3: 'ECS_CONTAINER_METADATA_URI',
} as const;

/** The task metadata endpoint is absent, unreachable or answered something unusable. */
export class MetadataEndpointError extends NotifierError {}

export interface MetadataEndpoint {
  uri: string;
  version: 'v4' | 'v3';
}

export interface MetadataOptions {
  env?: NodeJS.ProcessEnv;
  /** Read `/taskWithTags` (v4 only) instead of `/task`. */
  withTags?: boolean;
  /** For connecting and answering together, per try; the endpoint is local, so seconds are plenty. */
  timeoutMs?: number;
  /** Tries when the endpoint does not answer (an answer, even an error, is never tried again). @default 3 */
  attempts?: number;
}

// A fresh process's first fetch loads its HTTP client inside the first try's time: on a busy host
// that alone can take a second, so one unanswered try is not yet a missing endpoint.
const RETRY_DELAY_MS = 200;

/** `ECS_CONTAINER_METADATA_URI_V4`, else the v3 `ECS_CONTAINER_METADATA_URI`; throws outside ECS. */
export function metadataEndpoint(env: NodeJS.ProcessEnv = process.env): MetadataEndpoint {
  const v4 = env[METADATA_ENV.v4];
  if (v4) return { uri: v4.replace(/\/+$/, ''), version: 'v4' };
  const v3 = env[METADATA_ENV.v3];
  if (v3) return { uri: v3.replace(/\/+$/, ''), version: 'v3' };
  throw new MetadataEndpointError(
    `${METADATA_ENV.v4} is not set (nor ${METADATA_ENV.v3}): not running in an ECS task? Locally, start 'ecs-task-notifier metadata serve --task FILE' and export the line it prints`,
  );
}

/** GETs the task metadata `/task` (or `/taskWithTags`) response as parsed JSON. */
export async function fetchTaskMetadata(options: MetadataOptions = {}): Promise<unknown> {
  const endpoint = metadataEndpoint(options.env);
  const path = options.withTags && endpoint.version === 'v4' ? '/taskWithTags' : '/task';
  const url = `${endpoint.uri}${path}`;
  const timeoutMs = options.timeoutMs ?? 2000;
  const attempts = Math.max(1, options.attempts ?? 3);
  let response: Response | undefined;
  for (let attempt = 1; !response; attempt++) {
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
        continue;
      }
      const cause = error as Error & { cause?: { code?: string } };
      const why =
        cause.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : (cause.cause?.code ?? (cause.cause as Error | undefined)?.message ?? cause.name);
      const tries = attempts > 1 ? ` (${attempts} tries)` : '';
      throw new MetadataEndpointError(`could not reach the task metadata endpoint ${url}: ${why}${tries}`);
    }
  }
  const body = await response.text();
  if (!response.ok) {
    throw new MetadataEndpointError(`the task metadata endpoint ${url} answered HTTP ${response.status}`);
  }
  try {
    return JSON.parse(body);
  } catch {
    throw new MetadataEndpointError(`the task metadata endpoint ${url} answered something other than JSON`);
  }
}

/** The running task's identity and state, read from its metadata endpoint. */
export async function readTaskFromMetadata(options: MetadataOptions = {}): Promise<Task> {
  return taskFromMetadata(await fetchTaskMetadata(options), 'task metadata');
}
