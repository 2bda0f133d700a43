import type { Lookup } from '../report/cross-check.js';
import { type BatchJob, batchJobFrom } from './batch-job.js';

/**
 * Reads `jobs[]` of a DescribeJobs answer (SDK, wire or saved CLI output) into `into`, by job ID;
 * an entry that is not a job throws a ValidationError naming it (`jobs[2].jobQueue is required`).
 */
export function readJobsAnswer(answer: { jobs?: unknown[] }, into: Map<string, Lookup<BatchJob>>): void {
  for (const [index, raw] of (answer.jobs ?? []).entries()) {
    const job = batchJobFrom(raw, `jobs[${index}]`);
    into.set(job.jobId, { kind: 'found', value: job });
  }
}
