import type { BatchClient } from '@aws-sdk/client-batch';
import pMap from 'p-map';
import type { BatchJob } from '../domain/batch/batch-job.js';
import { readJobsAnswer } from '../domain/batch/describe-jobs.js';
import type { Lookup } from '../domain/report/cross-check.js';
import { clientsByPlace, describeError } from './aws.js';

/** DescribeJobs answers, keyed by job ID, for jobs of one account and region; never rejects. */
export type DescribeJobsFn = (
  region: string,
  account: string | undefined,
  jobIds: string[],
) => Promise<Map<string, Lookup<BatchJob>>>;

/** DescribeJobs takes at most 100 jobs a call. */
export const DESCRIBE_JOBS_BATCH = 100;

export interface BatchAdapterOptions {
  /** Defaults to one `BatchClient` per region and reader role, built on first use. */
  clientFor?: (region: string, account?: string) => Promise<BatchClient> | BatchClient;
  /** Roles to read other accounts' jobs with, by `"ACCOUNT:REGION"` (`readerRoles`). */
  readerRoles?: Readonly<Record<string, string>>;
}

/**
 * Batch DescribeJobs through the real `BatchClient` (imported on first use: only a configuration
 * that notifies Batch jobs needs it), 100 jobs a call. A job the answer leaves out is `missing`
 * (Batch forgets a job some days after it ends); a call that fails makes its jobs `unavailable`.
 */
export function createBatchDescribeJobs(options: BatchAdapterOptions = {}): DescribeJobsFn {
  let sdk: Promise<typeof import('@aws-sdk/client-batch')> | undefined;
  const loadSdk = () => {
    sdk ??= import('@aws-sdk/client-batch');
    return sdk;
  };
  const clientFor =
    options.clientFor ??
    clientsByPlace(
      async (region, credentials) =>
        new (await loadSdk()).BatchClient({
          region,
          ...(credentials ? { credentials } : {}),
          maxAttempts: 3,
          requestHandler: { requestTimeout: 3000, connectionTimeout: 1000 },
        }),
      options.readerRoles,
    );
  return async (region, account, jobIds) => {
    const results = new Map<string, Lookup<BatchJob>>();
    const chunks: string[][] = [];
    for (let i = 0; i < jobIds.length; i += DESCRIBE_JOBS_BATCH)
      chunks.push(jobIds.slice(i, i + DESCRIBE_JOBS_BATCH));
    await pMap(
      chunks,
      async (chunk) => {
        try {
          const { DescribeJobsCommand } = await loadSdk();
          const answer = await (await clientFor(region, account)).send(
            new DescribeJobsCommand({ jobs: chunk }),
          );
          readJobsAnswer(answer as { jobs?: unknown[] }, results);
        } catch (error) {
          for (const id of chunk) results.set(id, { kind: 'unavailable', reason: describeError(error) });
        }
        for (const id of chunk)
          if (!results.has(id))
            results.set(id, { kind: 'missing', reason: 'DescribeJobs does not know this job' });
      },
      { concurrency: 2 },
    );
    return results;
  };
}
