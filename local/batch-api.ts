import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ListenOptions, listen, type RunningServer, readBody, sendJson } from './http.js';

type Json = Record<string, unknown>;

/** The path of Batch's DescribeJobs in its REST-JSON protocol. */
export const DESCRIBE_JOBS_PATH = '/v1/describejobs';

/**
 * Answers Batch `DescribeJobs` as the SDK speaks it (REST-JSON: `POST /v1/describejobs`,
 * `{"jobs": [ids]}`): the jobs it knows by ID, leaving the others out as Batch does. Returns
 * `false` for any other request, so the ECS stand-in can serve both APIs on one port.
 */
export async function answerBatch(
  req: IncomingMessage,
  res: ServerResponse,
  jobs: ReadonlyMap<string, Json>,
): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'POST' || path !== DESCRIBE_JOBS_PATH) return false;
  let input: Json;
  try {
    input = JSON.parse((await readBody(req)) || '{}') as Json;
  } catch {
    batchError(res, 'ClientException', 'the request body is not JSON');
    return true;
  }
  const ids = Array.isArray(input.jobs) ? input.jobs.map(String) : [];
  if (ids.length === 0 || ids.length > 100) {
    batchError(res, 'ClientException', 'jobs must list between 1 and 100 job IDs');
    return true;
  }
  const found = ids.flatMap((id) => {
    const job = jobs.get(id);
    return job ? [job] : [];
  });
  sendJson(
    res,
    200,
    { jobs: found },
    { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
  );
  return true;
}

export interface BatchApiOptions extends ListenOptions {
  /** DescribeJobs' `jobs[]` entries (JobDetail, epoch-millisecond times). */
  jobs: readonly Json[];
}

/** The Batch API stand-in on a port of its own. */
export function startBatchApi(options: BatchApiOptions): Promise<RunningServer> {
  const jobs = jobsById(options.jobs);
  return listen(async (req, res) => {
    if (!(await answerBatch(req, res, jobs)))
      batchError(
        res,
        'ClientException',
        `${req.method} ${req.url} is not supported by the local Batch API (DescribeJobs only)`,
        404,
      );
  }, options);
}

/** Jobs by their ID. */
export function jobsById(jobs: readonly Json[]): Map<string, Json> {
  return new Map(jobs.map((job) => [String(job.jobId), job]));
}

function batchError(res: ServerResponse, type: string, message: string, status = 400): void {
  sendJson(
    res,
    status,
    { message },
    { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
  );
}
