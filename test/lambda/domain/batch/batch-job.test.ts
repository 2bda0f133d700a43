import { describe, expect, it } from 'vitest';
import { batchSkipReason } from '../../../../lambda/domain/batch/batch-job.js';
import { attemptWords, batchCause } from '../../../../lambda/domain/batch/batch-report.js';
import { readJobsAnswer } from '../../../../lambda/domain/batch/describe-jobs.js';
import type { Lookup } from '../../../../lambda/domain/report/cross-check.js';
import { parseEvent } from '../../../../lambda/domain/report/parse-event.js';
import { loadEvent, loadFixture } from '../../../support/fixtures.js';

const ALL = { notifyOn: ['STOPPED' as const], ignoreGroups: [], events: ['batch' as const] };

function jobOf(name: string, change: (detail: Record<string, unknown>) => void = () => {}) {
  const event = loadEvent(`batch/${name}`);
  change(event.detail);
  const parsed = parseEvent(event, ALL);
  if (parsed.kind !== 'batch') throw new Error(`expected a job, got ${JSON.stringify(parsed)}`);
  return parsed.job;
}

describe('Batch Job State Change events', () => {
  it('reads times in epoch milliseconds, the job definition’s name and revision, and its task’s cluster', () => {
    const job = jobOf('failed-host-terminated');

    expect(job).toMatchObject({
      jobName: 'nightly-import',
      queueName: 'nightly-spot',
      definitionName: 'nightly-import',
      revision: 7,
      clusterName: 'batch-b',
      clusterArn: 'arn:aws:ecs:us-east-2:444455556666:cluster/batch-b',
      logStreamName: 'nightly-import/default/e7b2d5a8c1f94e3b6d9a2c5f8b1e4d7a',
      maxAttempts: 3,
      vcpus: '4',
      memory: '16384',
    });
    expect(job.createdAt?.toISOString()).toBe('2025-02-10T00:41:01.735Z');
    expect(job.attempts).toHaveLength(3);
    expect(job.exitCode).toBeUndefined();
  });

  it('reads a job with no jobArn whose account is a placeholder, from its queue ARN', () => {
    expect(jobOf('runnable-placeholder-account')).toMatchObject({
      account: 'aws_account_id',
      region: 'us-east-2',
      attempts: [],
      status: 'RUNNABLE',
    });
  });

  it('reads resource requirements whose values are strings', () => {
    expect(jobOf('failed-exit-code')).toMatchObject({ vcpus: '1', memory: '2048', exitCode: 1 });
  });

  it('notifies a failed job only, saying why another status is not', () => {
    expect(batchSkipReason(jobOf('failed-exit-code'))).toBeUndefined();
    expect(batchSkipReason(jobOf('runnable-placeholder-account'))).toBe(
      'status RUNNABLE is not notified (Batch jobs: FAILED only)',
    );
  });

  it('rejects a job whose queue is not a Batch ARN, naming the field', () => {
    const event = loadEvent('batch/failed-exit-code');
    event.detail.jobQueue = 'exports';
    delete event.detail.jobArn;

    expect(parseEvent(event, ALL)).toEqual({
      kind: 'reject',
      of: 'batch',
      reason: 'detail.jobQueue expected a Batch ARN, got "exports"',
    });
  });

  it('names the cause: a terminated host, an exit code explained, Batch’s own words', () => {
    expect(batchCause(jobOf('failed-host-terminated'))).toEqual({
      core: 'its EC2 host was terminated',
      detail: 'i-05f9a2c7e3b1d8f6a',
    });
    expect(batchCause(jobOf('failed-exit-code'))).toEqual({ core: 'exited with an error (exit 1)' });
    const timedOut = jobOf('failed-host-terminated', (d) => {
      d.statusReason = 'Job attempt duration exceeded timeout';
    });
    expect(batchCause(timedOut)).toEqual({ core: 'timed out: an attempt ran past its limit of 2h 00m 00s' });
  });

  it('says which attempt failed when the job may be tried more than once', () => {
    expect(attemptWords(jobOf('failed-host-terminated'))).toBe('attempt 3 of 3');
    expect(attemptWords(jobOf('failed-exit-code'))).toBeUndefined();
  });
});

describe('DescribeJobs output', () => {
  it('reads each job by its ID, with the log group its job definition names', () => {
    const into = new Map<string, Lookup<unknown>>();
    readJobsAnswer(loadFixture('describe-jobs/failed-exit-code.json'), into as never);

    const found = into.get('0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d');
    expect(found?.kind === 'found' && found.value).toMatchObject({
      logGroup: '/batch/exports',
      timeoutSeconds: 3600,
    });
  });

  it('names the job that is not one, by its place in the list', () => {
    expect(() => readJobsAnswer({ jobs: [{ jobId: 'x' }] }, new Map())).toThrow(
      'jobs[0].jobName is required',
    );
  });
});
