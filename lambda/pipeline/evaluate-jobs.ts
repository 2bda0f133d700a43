import pMap from 'p-map';
import type { DescribeJobsFn } from '../adapters/batch.js';
import type { BatchJob } from '../domain/batch/batch-job.js';
import { type BatchReport, batchOutcome } from '../domain/batch/batch-report.js';
import { crossCheckJob, jobSource } from '../domain/batch/job-check.js';
import type { Lookup } from '../domain/report/cross-check.js';
import { filterOutcome } from '../domain/report/filters.js';
import type { EvaluateDeps, Evaluation } from './evaluate.js';

/**
 * Batch job events: cross-checked with DescribeJobs (one call per account and region for up to
 * 100 jobs), which fills in what the event left out; the source told by the job's queue, else
 * its task's cluster. One evaluation per event, in order.
 */
export async function evaluateJobs(
  jobs: readonly BatchJob[],
  deps: EvaluateDeps,
  unreadable: (error: unknown) => Evaluation,
): Promise<Evaluation[]> {
  const answers = await describeAll(jobs, deps.describeJobs);
  return Promise.all(
    jobs.map(async (eventJob) => {
      try {
        const { job, crossCheck } = crossCheckJob(
          eventJob,
          answers.get(answerKey(eventJob)) ?? { kind: 'not-run' },
        );
        const report: BatchReport = {
          kind: 'batch',
          job,
          source: await jobSource(job, deps.config, deps.lookupVpc),
          outcome: batchOutcome(job.status),
          crossCheck,
        };
        const skip = filterOutcome(report.outcome, deps.config);
        return skip ? { status: 'skipped', reason: skip, report } : { status: 'ready', report };
      } catch (error) {
        return unreadable(error);
      }
    }),
  );
}

function answerKey(job: Pick<BatchJob, 'region' | 'account' | 'jobId'>): string {
  return `${job.region} ${job.account} ${job.jobId}`;
}

/** One DescribeJobs batch per account and region. */
async function describeAll(
  jobs: readonly BatchJob[],
  describeJobs?: DescribeJobsFn,
): Promise<Map<string, Lookup<BatchJob>>> {
  const results = new Map<string, Lookup<BatchJob>>();
  if (!describeJobs) return results;
  const byPlace = new Map<string, { region: string; account: string; ids: Set<string> }>();
  for (const job of jobs) {
    const key = `${job.region} ${job.account}`;
    const entry = byPlace.get(key) ?? { region: job.region, account: job.account, ids: new Set() };
    entry.ids.add(job.jobId);
    byPlace.set(key, entry);
  }
  await pMap(
    byPlace.values(),
    async ({ region, account, ids }) => {
      const answer = await describeJobs(region, account, [...ids]);
      for (const [id, result] of answer) results.set(answerKey({ region, account, jobId: id }), result);
    },
    { concurrency: 2 },
  );
  return results;
}
