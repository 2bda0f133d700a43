import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseClusterArn } from '../lambda/domain/arn.js';
import { type ListenOptions, listen, type RunningServer, readBody, sendJson } from './http.js';

type Json = Record<string, unknown>;

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface EcsApiOptions extends ListenOptions {
  /** DescribeTasks `tasks[]` entries on the wire (epoch-second timestamps, `tags`). */
  tasks: readonly Json[];
  /** Cluster ARNs that exist; others answer `ClusterNotFoundException`. @default the tasks' clusters */
  clusters?: readonly string[];
}

/**
 * The ECS API as the SDK speaks it (JSON 1.1 over HTTP, `X-Amz-Target`), `DescribeTasks` only:
 * tasks it knows, `failures: [{arn, reason: "MISSING"}]` for the rest, AWS JSON errors otherwise.
 * Any credentials are accepted.
 */
export function startEcsApi(options: EcsApiOptions): Promise<RunningServer> {
  const clusters = new Set(options.clusters ?? options.tasks.map((t) => String(t.clusterArn)));
  return listen((req, res) => handle(req, res, options.tasks, clusters), options);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  tasks: readonly Json[],
  clusters: Set<string>,
) {
  const target = String(req.headers['x-amz-target'] ?? '');
  const body = await readBody(req);
  if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
    return awsError(
      res,
      400,
      'UnknownOperationException',
      `unknown target ${JSON.stringify(target)}: send POST with X-Amz-Target ${TARGET_PREFIX}DescribeTasks`,
    );
  }
  const operation = target.slice(TARGET_PREFIX.length);
  if (operation !== 'DescribeTasks') {
    return awsError(
      res,
      400,
      'UnknownOperationException',
      `${operation} is not supported by the local ECS API (DescribeTasks only)`,
    );
  }
  let input: Json;
  try {
    input = JSON.parse(body || '{}') as Json;
  } catch {
    return awsError(res, 400, 'SerializationException', 'the request body is not JSON');
  }
  const requested = Array.isArray(input.tasks) ? input.tasks.map(String) : [];
  if (requested.length === 0)
    return awsError(res, 400, 'InvalidParameterException', 'Tasks cannot be empty.');
  if (requested.length > 100)
    return awsError(res, 400, 'InvalidParameterException', 'Tasks cannot have more than 100 elements.');
  // Without `cluster`, ECS looks in `default`: our tasks are elsewhere, so they are MISSING.
  const clusterArn = resolveCluster(String(input.cluster ?? 'default'), clusters);
  if (!clusterArn && input.cluster !== undefined) {
    return awsError(res, 400, 'ClusterNotFoundException', 'Cluster not found.');
  }
  const withTags = Array.isArray(input.include) && input.include.includes('TAGS');

  const found: Json[] = [];
  const failures: Json[] = [];
  for (const ref of requested) {
    const task = tasks.find(
      (t) => t.clusterArn === clusterArn && (t.taskArn === ref || String(t.taskArn).endsWith(`/${ref}`)),
    );
    if (!task) failures.push({ arn: ref, reason: 'MISSING' });
    else found.push(withTags ? task : Object.fromEntries(Object.entries(task).filter(([k]) => k !== 'tags')));
  }
  return sendJson(
    res,
    200,
    { tasks: found, failures },
    { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
  );
}

/** DescribeTasks names a cluster by ARN or short name; `default` when omitted. */
function resolveCluster(cluster: string, clusters: Set<string>): string | undefined {
  if (clusters.has(cluster)) return cluster;
  return [...clusters].find((arn) => {
    try {
      return parseClusterArn(arn).clusterName === cluster;
    } catch {
      return false;
    }
  });
}

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(
    res,
    status,
    { __type: type, message },
    { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
  );
}
