import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import { answerBatch, jobsById } from './batch-api.js';
import { type ListenOptions, listen, type RunningServer, readBody, sendJson } from './http.js';

type Json = Record<string, unknown>;

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface EcsApiOptions extends ListenOptions {
  /** DescribeTasks `tasks[]` entries on the wire (epoch-second timestamps, `tags`). */
  tasks: readonly Json[];
  /** Cluster ARNs that exist; others answer `ClusterNotFoundException`. @default the tasks' clusters */
  clusters?: readonly string[];
  /** DescribeTaskDefinition's `taskDefinition` objects; others answer `ClientException`. @default none */
  taskDefinitions?: readonly Json[];
  /** DescribeServices' `services[]` entries; others answer `failures: [{arn, reason: "MISSING"}]`. @default none */
  services?: readonly Json[];
  /** Batch DescribeJobs' `jobs[]` entries, served on the same port (`POST /v1/describejobs`). @default none */
  jobs?: readonly Json[];
}

/**
 * The ECS API as the SDK speaks it (JSON 1.1 over HTTP, `X-Amz-Target`): `DescribeTasks` (tasks
 * it knows, `failures: [{arn, reason: "MISSING"}]` for the rest), `DescribeTaskDefinition` (by
 * ARN, `family:revision` or family for its latest revision; `ClientException` for the rest) and
 * `DescribeServices` (services it knows, `MISSING` for the rest), AWS JSON errors otherwise; and
 * Batch's `DescribeJobs` on the same port (point `AWS_ENDPOINT_URL_BATCH` here too). Any
 * credentials are accepted.
 */
export function startEcsApi(options: EcsApiOptions): Promise<RunningServer> {
  const clusters = new Set(options.clusters ?? options.tasks.map((t) => String(t.clusterArn)));
  const definitions = options.taskDefinitions ?? [];
  // By ARN and by task ID, as DescribeTasks takes either: a storm of 10,000 tasks is looked up, not scanned.
  const tasks = new Map<string, Json[]>();
  for (const task of options.tasks) {
    const arn = String(task.taskArn);
    for (const key of new Set([arn, arn.slice(arn.lastIndexOf('/') + 1)]))
      tasks.set(key, [...(tasks.get(key) ?? []), task]);
  }
  const services = new Map((options.services ?? []).map((s) => [String(s.serviceArn), s]));
  const jobs = jobsById(options.jobs ?? []);
  return listen(async (req, res) => {
    if (await answerBatch(req, res, jobs)) return;
    await handle(req, res, tasks, clusters, definitions, services);
  }, options);
}

const OPERATIONS = ['DescribeTasks', 'DescribeTaskDefinition', 'DescribeServices'];

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  tasks: ReadonlyMap<string, Json[]>,
  clusters: Set<string>,
  definitions: readonly Json[],
  services: ReadonlyMap<string, Json>,
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
  if (!OPERATIONS.includes(operation)) {
    return awsError(
      res,
      400,
      'UnknownOperationException',
      `${operation} is not supported by the local ECS API (${OPERATIONS.join(', ')} only)`,
    );
  }
  let input: Json;
  try {
    input = JSON.parse(body || '{}') as Json;
  } catch {
    return awsError(res, 400, 'SerializationException', 'the request body is not JSON');
  }
  if (operation === 'DescribeTaskDefinition') return describeTaskDefinition(res, input, definitions);
  if (operation === 'DescribeServices') return describeServices(res, input, services);
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
    const task = tasks.get(ref)?.find((t) => t.clusterArn === clusterArn);
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

/** One revision by ARN or `family:revision`, or a family's latest; tags only when asked for. */
function describeTaskDefinition(res: ServerResponse, input: Json, definitions: readonly Json[]): void {
  const ref = typeof input.taskDefinition === 'string' ? input.taskDefinition : '';
  if (!ref) {
    awsError(res, 400, 'ClientException', 'TaskDefinition cannot be empty.');
    return;
  }
  const name = ref.startsWith('arn:') ? undefined : ref;
  const found = definitions
    .filter((d) =>
      name === undefined
        ? d.taskDefinitionArn === ref
        : name.includes(':')
          ? `${d.family}:${d.revision}` === name
          : d.family === name,
    )
    .sort((a, b) => Number(b.revision) - Number(a.revision))[0];
  if (!found) {
    awsError(res, 400, 'ClientException', 'Unable to describe task definition.');
    return;
  }
  const withTags = Array.isArray(input.include) && input.include.includes('TAGS');
  sendJson(
    res,
    200,
    { taskDefinition: found, ...(withTags ? { tags: [] } : {}) },
    { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
  );
}

/** Up to ten services by ARN; `MISSING` for those it does not know. */
function describeServices(res: ServerResponse, input: Json, services: ReadonlyMap<string, Json>): void {
  const requested = Array.isArray(input.services) ? input.services.map(String) : [];
  if (requested.length === 0 || requested.length > 10) {
    awsError(res, 400, 'InvalidParameterException', 'services must list between 1 and 10 services.');
    return;
  }
  const found = requested.flatMap((arn) => {
    const service = services.get(arn);
    return service ? [service] : [];
  });
  const failures = requested.filter((arn) => !services.has(arn)).map((arn) => ({ arn, reason: 'MISSING' }));
  sendJson(
    res,
    200,
    { services: found, failures },
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
