import type { NotifierConfig } from '../config/config.js';
import { truncate } from '../message/slack-text.js';
import { type Lookup, lookupCheck } from '../report/cross-check.js';
import { resolveSourceOrNote, type SubnetVpcLookup } from '../report/source.js';
import type { CrossCheck, Source } from '../task/task.js';
import type { BatchJob } from './batch-job.js';

/**
 * Compares the event's job with DescribeJobs' answer: the same job definition revision confirms
 * it, another is a mismatch. What the event left out (attempts, the log stream, the exit code, the
 * reason, its task) is filled in from the answer; the status stays the event's, which is the news.
 */
export function crossCheckJob(
  job: BatchJob,
  answer: Lookup<BatchJob>,
): { job: BatchJob; crossCheck: CrossCheck } {
  if (answer.kind !== 'found') return { job, crossCheck: lookupCheck(answer) };
  const described = answer.value;
  const same = described.definitionName === job.definitionName && described.revision === job.revision;
  const crossCheck: CrossCheck = {
    status: same ? 'confirmed' : 'mismatch',
    described: { family: described.definitionName, revision: described.revision },
    ...(same
      ? {}
      : {
          detail: `DescribeJobs names ${described.definitionName}:${described.revision ?? '?'}, the event ${job.definitionName}:${job.revision ?? '?'}`,
        }),
  };
  return {
    job: {
      ...described,
      ...withoutUndefined(job),
      attempts: job.attempts.length > 0 ? job.attempts : described.attempts,
    },
    crossCheck,
  };
}

/**
 * Which configured source a job came from: the one listing its queue (`jobQueues`), else the one
 * of its task's cluster; a job of neither is still notified, labelled by its queue, account and
 * region.
 */
export async function jobSource(
  job: BatchJob,
  config: Pick<NotifierConfig, 'sources'>,
  lookupVpc?: SubnetVpcLookup,
): Promise<Source> {
  const byQueue = config.sources.find((s) => s.jobQueues?.includes(job.jobQueue));
  if (byQueue)
    return { label: byQueue.label, configured: true, ...(byQueue.vpcId ? { vpcId: byQueue.vpcId } : {}) };
  const { clusterArn, clusterName } = job;
  if (clusterArn && clusterName && config.sources.some((s) => s.clusterArn === clusterArn))
    return resolveSourceOrNote(
      { clusterArn, clusterName, account: job.account, region: job.region },
      config,
      lookupVpc,
    );
  return {
    label: `${truncate(job.queueName, 48)} (${truncate(job.account, 16)}, ${job.region})`,
    configured: false,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
