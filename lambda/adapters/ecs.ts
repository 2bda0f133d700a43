import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import pMap from 'p-map';
import type { DescribeResult } from '../domain/report/cross-check.js';
import { parseEcsArn } from '../domain/task/arn.js';
import { readAnswer } from '../domain/task/describe-answer.js';
import { type ClientFor, clientsByPlace, describeError } from './aws.js';

/** DescribeTasks answers, keyed by task ARN, for tasks of one cluster. */
export type DescribeTasksFn = (
  clusterArn: string,
  region: string,
  taskArns: string[],
) => Promise<Map<string, DescribeResult>>;

/** DescribeTasks takes at most 100 tasks a call. */
export const DESCRIBE_TASKS_BATCH = 100;

/** DescribeTasks calls in flight at once for one cluster (ECS allows bursts of 100, 20 a second after). */
export const DESCRIBE_TASKS_CONCURRENCY = 4;

export interface EcsAdapterOptions {
  /** Defaults to one `ECSClient` per region and reader role, built once. */
  clientFor?: ClientFor<ECSClient>;
  /** Roles to read other accounts' tasks with, by `"ACCOUNT:REGION"` (`readerRoles`). */
  readerRoles?: Readonly<Record<string, string>>;
  /** Attempts per call, including the first (the SDK retries throttling with backoff). */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds. */
  requestTimeoutMs?: number;
}

/**
 * DescribeTasks through the real `ECSClient`: batched per cluster (≤ 100 tasks a call), tags
 * included. A call that fails (throttled past its retries, denied, timed out) makes its tasks
 * `unavailable`; `failures[].reason` `MISSING` makes a task `missing`.
 */
export function createEcsDescribeTasks(options: EcsAdapterOptions = {}): DescribeTasksFn {
  const clientFor = options.clientFor ?? ecsClientsByRegion(options);

  return async (clusterArn, region, taskArns) => {
    const results = new Map<string, DescribeResult>();
    const chunks: string[][] = [];
    for (let i = 0; i < taskArns.length; i += DESCRIBE_TASKS_BATCH)
      chunks.push(taskArns.slice(i, i + DESCRIBE_TASKS_BATCH));
    await pMap(
      chunks,
      async (chunk) => {
        try {
          const answer = await clientFor(region, accountOf(clusterArn)).send(
            new DescribeTasksCommand({ cluster: clusterArn, tasks: chunk, include: ['TAGS'] }),
          );
          readAnswer(answer, results);
        } catch (error) {
          const reason = describeError(error);
          for (const arn of chunk) results.set(arn, { kind: 'unavailable', reason });
        }
        for (const arn of chunk) {
          if (!results.has(arn))
            results.set(arn, { kind: 'unavailable', reason: 'not in the DescribeTasks answer' });
        }
      },
      { concurrency: DESCRIBE_TASKS_CONCURRENCY },
    );
    return results;
  };
}

/** One `ECSClient` per region and reader role, built on first use with the options' attempts and timeouts. */
export function ecsClientsByRegion(options: Omit<EcsAdapterOptions, 'clientFor'> = {}): ClientFor<ECSClient> {
  return clientsByPlace(
    (region, credentials) =>
      new ECSClient({
        region,
        ...(credentials ? { credentials } : {}),
        maxAttempts: options.maxAttempts ?? 3,
        requestHandler: { requestTimeout: options.requestTimeoutMs ?? 3000, connectionTimeout: 1000 },
      }),
    options.readerRoles,
  );
}

/** The account an ECS ARN names; `undefined` when it is not one (the caller's own is used). */
export function accountOf(arn: string): string | undefined {
  try {
    return parseEcsArn(arn).account;
  } catch {
    return undefined;
  }
}
