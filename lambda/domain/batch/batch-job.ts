import * as z from 'zod/mini';
import { parseWith, ValidationError } from '../config/validation.js';
import { parseTaskArn, REGION } from '../task/arn.js';
import { present } from '../task/task-from-ecs.js';

/** The `detail-type` of a Batch job's state changes. */
export const BATCH_JOB_STATE_CHANGE = 'Batch Job State Change';

export const BATCH_STATUSES = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
] as const;

/** One attempt of a job: the ECS task it ran as, how it ended, where it logged. */
export interface BatchAttempt {
  taskArn?: string;
  exitCode?: number;
  reason?: string;
  statusReason?: string;
  logStreamName?: string;
  startedAt?: Date;
  stoppedAt?: Date;
}

/**
 * A Batch job as its events and DescribeJobs describe it (the event's `detail` is DescribeJobs'
 * `JobDetail`), converted once: times from epoch milliseconds, its job definition split into
 * name and revision, its ECS cluster read from its task's ARN.
 */
export interface BatchJob {
  jobId: string;
  jobArn?: string;
  jobName: string;
  /** The queue's ARN, and its name. */
  jobQueue: string;
  queueName: string;
  status: string;
  statusReason?: string;
  jobDefinition: string;
  /** The job definition's name: what a task's family is to a task. */
  definitionName: string;
  revision: number | null;
  partition: string;
  region: string;
  /** Kept as written: documented examples carry `aws_account_id`. */
  account: string;
  attempts: BatchAttempt[];
  /** Attempts its retry strategy allows. */
  maxAttempts?: number;
  /** The ECS cluster of its last attempt's task, when it got one. */
  clusterArn?: string;
  clusterName?: string;
  taskArn?: string;
  image?: string;
  exitCode?: number;
  reason?: string;
  logGroup?: string;
  logStreamName?: string;
  /** `2 vCPU · 20,000 MiB` as the job asked. */
  vcpus?: string;
  memory?: string;
  /** An array job's child: its index and the size of the array. */
  arrayIndex?: number;
  arraySize?: number;
  timeoutSeconds?: number;
  createdAt?: Date;
  startedAt?: Date;
  stoppedAt?: Date;
}

const optionalText = z.optional(z.nullable(z.string()));
const text = z.string().check(z.minLength(1, 'must not be empty'));
const number = z.optional(z.nullable(z.number()));

const containerShape = {
  taskArn: optionalText,
  exitCode: z.optional(z.nullable(z.number().check(z.int()))),
  reason: optionalText,
  logStreamName: optionalText,
};

/** Only the fields the notifier reads; everything else is allowed and ignored. */
const JobDetailSchema = z.object({
  jobArn: optionalText,
  jobName: text,
  jobId: text,
  jobQueue: text,
  status: text,
  statusReason: optionalText,
  jobDefinition: text,
  attempts: z.optional(
    z.nullable(
      z.array(
        z.object({
          container: z.optional(z.nullable(z.object(containerShape))),
          startedAt: number,
          stoppedAt: number,
          statusReason: optionalText,
        }),
      ),
    ),
  ),
  retryStrategy: z.optional(z.nullable(z.object({ attempts: number }))),
  container: z.optional(
    z.nullable(
      z.object({
        ...containerShape,
        image: optionalText,
        vcpus: number,
        memory: number,
        resourceRequirements: z.optional(
          z.nullable(z.array(z.object({ type: optionalText, value: optionalText }))),
        ),
        logConfiguration: z.optional(
          z.nullable(z.object({ options: z.optional(z.nullable(z.record(z.string(), z.string()))) })),
        ),
      }),
    ),
  ),
  arrayProperties: z.optional(z.nullable(z.object({ index: number, size: number }))),
  timeout: z.optional(z.nullable(z.object({ attemptDurationSeconds: number }))),
  createdAt: number,
  startedAt: number,
  stoppedAt: number,
});

/** Where a Batch ARN says the job is: `arn:PARTITION:batch:REGION:ACCOUNT:RESOURCE`. */
const BATCH_ARN = /^arn:(aws(?:-[a-z]+)*):batch:([^:]*):([^:]*):(.+)$/;

/** Batch's own log group, when the job definition names none. */
export const BATCH_LOG_GROUP = '/aws/batch/job';

/**
 * Reads a Batch job (an event's `detail`, or a DescribeJobs `jobs[]` entry, under `root`);
 * throws a ValidationError naming the field.
 */
export function batchJobFrom(raw: unknown, root: string): BatchJob {
  const job = parseWith(JobDetailSchema, raw, root);
  const place = placeOf(job.jobArn ?? job.jobQueue, job.jobArn ? `${root}.jobArn` : `${root}.jobQueue`);
  const definition = definitionOf(job.jobDefinition, `${root}.jobDefinition`);
  const attempts = (job.attempts ?? []).map(
    (a): BatchAttempt =>
      present({
        taskArn: a.container?.taskArn,
        exitCode: a.container?.exitCode,
        reason: a.container?.reason,
        statusReason: a.statusReason,
        logStreamName: a.container?.logStreamName,
        startedAt: epochMs(a.startedAt),
        stoppedAt: epochMs(a.stoppedAt),
      }),
  );
  const last = attempts.at(-1);
  const taskArn = job.container?.taskArn ?? last?.taskArn;
  const resources = new Map((job.container?.resourceRequirements ?? []).map((r) => [r.type, r.value]));
  return {
    jobId: job.jobId,
    jobName: job.jobName,
    jobQueue: job.jobQueue,
    queueName: job.jobQueue.slice(job.jobQueue.lastIndexOf('/') + 1),
    status: job.status,
    jobDefinition: job.jobDefinition,
    ...definition,
    ...place,
    attempts,
    ...clusterOf(taskArn, place.partition),
    ...present({
      jobArn: job.jobArn,
      statusReason: job.statusReason,
      maxAttempts: job.retryStrategy?.attempts,
      taskArn,
      image: job.container?.image,
      exitCode: job.container?.exitCode ?? last?.exitCode,
      reason: job.container?.reason ?? last?.reason,
      logGroup: job.container?.logConfiguration?.options?.['awslogs-group'],
      logStreamName: job.container?.logStreamName ?? last?.logStreamName,
      vcpus: resources.get('VCPU') ?? job.container?.vcpus?.toString(),
      memory: resources.get('MEMORY') ?? job.container?.memory?.toString(),
      arrayIndex: job.arrayProperties?.index,
      arraySize: job.arrayProperties?.size,
      timeoutSeconds: job.timeout?.attemptDurationSeconds,
      createdAt: epochMs(job.createdAt),
      startedAt: epochMs(job.startedAt),
      stoppedAt: epochMs(job.stoppedAt),
    }),
  };
}

/** Why a job event is not notified, or `undefined`: only a job that failed is. */
export function batchSkipReason(job: Pick<BatchJob, 'status'>): string | undefined {
  return job.status === 'FAILED'
    ? undefined
    : `status ${job.status.slice(0, 40)} is not notified (Batch jobs: FAILED only)`;
}

function placeOf(arn: string, field: string): { partition: string; region: string; account: string } {
  const [, partition = '', region = '', account = ''] = BATCH_ARN.exec(arn) ?? [];
  if (!partition)
    throw new ValidationError(field, `expected a Batch ARN, got ${JSON.stringify(arn.slice(0, 80))}`);
  if (!REGION.test(region))
    throw new ValidationError(
      field,
      `expected a Batch ARN with an AWS region like "us-east-1", got ${JSON.stringify(arn.slice(0, 80))}`,
    );
  return { partition, region, account };
}

function definitionOf(arn: string, field: string): { definitionName: string; revision: number | null } {
  const resource = BATCH_ARN.exec(arn)?.[4] ?? arn;
  const match = /^(?:job-definition\/)?([A-Za-z0-9_-]{1,128})(?::(\d{1,9}))?$/.exec(resource);
  if (!match?.[1])
    throw new ValidationError(
      field,
      `expected a job definition ARN or name, got ${JSON.stringify(arn.slice(0, 80))}`,
    );
  return { definitionName: match[1], revision: match[2] === undefined ? null : Number(match[2]) };
}

/** The ECS cluster a task ARN of the new format names; none for an old one (or none at all). */
function clusterOf(
  taskArn: string | undefined,
  partition: string,
): { clusterArn?: string; clusterName?: string } {
  if (!taskArn) return {};
  try {
    const ref = parseTaskArn(taskArn);
    if (!ref.clusterName) return {};
    return {
      clusterArn: `arn:${partition}:ecs:${ref.region}:${ref.account}:cluster/${ref.clusterName}`,
      clusterName: ref.clusterName,
    };
  } catch {
    return {};
  }
}

function epochMs(value: number | null | undefined): Date | undefined {
  if (value === null || value === undefined || !Number.isFinite(value) || value < 0) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
