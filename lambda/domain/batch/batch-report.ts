import { type Cause, exitMeaning } from '../message/failure-causes.js';
import type { CrossCheck, Outcome, Source } from '../task/task.js';
import { formatDuration } from '../task/timestamp.js';
import type { BatchJob } from './batch-job.js';

/** A Batch job that failed, as the message shows it. */
export interface BatchReport {
  kind: 'batch';
  job: BatchJob;
  source: Source;
  outcome: Outcome;
  crossCheck: CrossCheck;
}

export function batchOutcome(status: string): Outcome {
  if (status === 'FAILED') return 'failed';
  return status === 'SUCCEEDED' ? 'succeeded' : 'in-progress';
}

/** `attempt 3 of 3`, when the job may be tried more than once or was. */
export function attemptWords(job: BatchJob): string | undefined {
  const tried = job.attempts.length;
  const allowed = job.maxAttempts ?? 1;
  if (tried <= 1 && allowed <= 1) return undefined;
  return `attempt ${Math.max(tried, 1)} of ${Math.max(allowed, tried)}`;
}

// Batch's status reasons, from "Job states" and "Troubleshooting AWS Batch" in its user guide:
// https://docs.aws.amazon.com/batch/latest/userguide/job_states.html, …/troubleshooting.html.
const HOST_TERMINATED = /^Host EC2 \(instance (i-[0-9a-f]+)\) terminated\.?$/;
const ERROR_NAME = /^([A-Z][A-Za-z0-9.]*(?:Error|Exception)):/;

/**
 * Why the job failed: its host went away, its container exited (explained as a task's exit code
 * is), it timed out, a job it depends on failed, it could not start; else Batch's words.
 */
export function batchCause(job: BatchJob): Cause | undefined {
  const reason = job.statusReason?.replace(/\s+/g, ' ').trim();
  const host = reason ? HOST_TERMINATED.exec(reason) : null;
  if (host) return { core: 'its EC2 host was terminated', detail: host[1] as string };
  if (reason && /^Essential container in task exited$/i.test(reason)) {
    const exit = job.exitCode === undefined ? '' : ` (exit ${job.exitCode})`;
    if (job.reason && /OutOfMemory|\bOOM/i.test(job.reason)) return { core: `out of memory${exit}` };
    const meaning = job.exitCode === undefined ? 'its container exited' : exitMeaning(job.exitCode);
    return { core: `${meaning}${exit}`, ...(job.reason ? { detail: job.reason } : {}) };
  }
  if (reason && /attempt duration exceeded timeout/i.test(reason)) {
    const limit = job.timeoutSeconds ? ` of ${formatDuration(job.timeoutSeconds * 1000)}` : '';
    return { core: `timed out: an attempt ran past its limit${limit}` };
  }
  if (reason && /^Dependent Job failed$/i.test(reason)) return { core: 'a job it depends on failed' };
  const error = reason ? ERROR_NAME.exec(reason)?.[1] : undefined;
  if (reason && error)
    return { core: `could not start: ${error}`, detail: reason.slice(error.length + 1).trim() };
  return reason ? { core: reason } : undefined;
}
