import type { DescribeJobsFn } from '../lambda/adapters/batch.js';
import type { BatchJob } from '../lambda/domain/batch/batch-job.js';
import { readJobsAnswer } from '../lambda/domain/batch/describe-jobs.js';
import type { Lookup } from '../lambda/domain/report/cross-check.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/**
 * Answers the Batch job cross-check offline from saved `aws batch describe-jobs` output
 * (`{"jobs": [...]}`), or one job as DescribeJobs describes it (a JobDetail without its list). A
 * job the files do not mention is `not-run`.
 */
export async function loadDescribeJobsFiles(files: readonly string[]): Promise<DescribeJobsFn> {
  const known = new Map<string, Lookup<BatchJob>>();
  for (const file of files) {
    const json = (await readJsonOption('--describe-jobs', file)) as {
      jobs?: unknown;
      jobId?: unknown;
    } | null;
    const jobs = Array.isArray(json?.jobs) ? json.jobs : typeof json?.jobId === 'string' ? [json] : undefined;
    if (!jobs)
      throw new UsageError(
        `--describe-jobs ${file}: expected DescribeJobs output ({"jobs": [...]}) or one job`,
      );
    try {
      readJobsAnswer({ jobs }, known);
    } catch (error) {
      throw new UsageError(`--describe-jobs ${file}: ${(error as Error).message}`);
    }
  }
  return async (_region, _account, jobIds) =>
    new Map(jobIds.map((id) => [id, known.get(id) ?? { kind: 'not-run' }] as const));
}
