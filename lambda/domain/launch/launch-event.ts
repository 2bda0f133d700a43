import * as z from 'zod/mini';
import { parseWith, ValidationError } from '../config/validation.js';
import { parseClusterArn, parseTaskDefinitionArn, partitionOfRegion, REGION } from '../task/arn.js';
import { present } from '../task/task-from-ecs.js';
import { parseTimestamp } from '../task/timestamp.js';

/** The `detail-type` CloudTrail gives every API call it hands to EventBridge. */
export const API_CALL_VIA_CLOUDTRAIL = 'AWS API Call via CloudTrail';

/** One task RunTask could not launch: `failures[]` in its answer, or the error it returned. */
export interface LaunchFailure {
  /** A container instance's ARN, when the failure is about one. */
  arn?: string;
  /** `RESOURCE:MEMORY`, `AGENT`, `Capacity is unavailable at this time…` */
  reason?: string;
  detail?: string;
}

/** A `RunTask` call that launched nothing, from CloudTrail's record of it. */
export interface FailedLaunch {
  /** CloudTrail's `eventID`: one per call, the same in a redelivery. */
  eventId: string;
  /** The cluster as the request named it: an ARN, a short name, or `default` when it named none. */
  cluster: string;
  clusterArn: string;
  clusterName: string;
  partition: string;
  region: string;
  account: string;
  /** The task definition as the request named it: an ARN, `family:revision` or a family. */
  taskDefinition: string;
  family: string;
  /** `null` when the request named the family only (its latest ACTIVE revision). */
  revision: number | null;
  startedBy?: string;
  group?: string;
  launchType?: string;
  /** Capacity providers of the request's strategy. */
  capacityProviders: string[];
  /** Tasks asked for. */
  count?: number;
  /** The subnets the request gave its tasks (awsvpc): they tell the sources of a cluster apart. */
  subnets: string[];
  failures: LaunchFailure[];
  /**
   * It returned an error or failures: CloudTrail's record has an `errorCode`, or a failure with a
   * `reason` (whatever their value: what the rule's `exists` matches too).
   */
  failed: boolean;
  errorCode?: string;
  errorMessage?: string;
  /** Who called: an ARN, or the AWS service that called on someone's behalf (`events.amazonaws.com`). */
  caller?: string;
  invokedBy?: string;
  at?: Date;
}

const optionalText = z.optional(z.nullable(z.string()));
const text = z.string().check(z.minLength(1, 'must not be empty'));

const LaunchSchema = z.object({
  account: optionalText,
  region: optionalText,
  detail: z.object({
    eventID: text,
    eventTime: optionalText,
    awsRegion: optionalText,
    recipientAccountId: optionalText,
    errorCode: optionalText,
    errorMessage: optionalText,
    userIdentity: z.optional(
      z.nullable(z.object({ arn: optionalText, invokedBy: optionalText, accountId: optionalText })),
    ),
    requestParameters: z.object({
      cluster: optionalText,
      taskDefinition: text,
      startedBy: optionalText,
      group: optionalText,
      launchType: optionalText,
      count: z.optional(z.nullable(z.number())),
      capacityProviderStrategy: z.optional(z.nullable(z.array(z.object({ capacityProvider: optionalText })))),
      networkConfiguration: z.optional(
        z.nullable(
          z.object({
            awsvpcConfiguration: z.optional(
              z.nullable(z.object({ subnets: z.optional(z.nullable(z.array(z.string()))) })),
            ),
          }),
        ),
      ),
    }),
    responseElements: z.optional(
      z.nullable(
        z.object({
          failures: z.optional(
            z.nullable(z.array(z.object({ arn: optionalText, reason: optionalText, detail: optionalText }))),
          ),
        }),
      ),
    ),
  }),
});

/**
 * Reads the CloudTrail record of a `RunTask` call (an `AWS API Call via CloudTrail` event's
 * `detail`); throws a ValidationError naming the field. The cluster a request names by short
 * name (or not at all: `default`) is the one in the call's account and region.
 */
export function launchFromEvent(raw: unknown): FailedLaunch {
  const event = parseWith(LaunchSchema, raw, '');
  const { detail } = event;
  const request = detail.requestParameters;
  const region = detail.awsRegion ?? event.region ?? '';
  if (!REGION.test(region))
    throw new ValidationError(
      detail.awsRegion ? 'detail.awsRegion' : 'region',
      `expected an AWS region like "us-east-1", got ${JSON.stringify(region.slice(0, 60))}`,
    );
  const account = detail.recipientAccountId ?? event.account ?? '';
  const cluster = clusterOf(request.cluster ?? 'default', region, account);
  const definition = definitionOf(request.taskDefinition);
  return {
    eventId: detail.eventID,
    cluster: request.cluster ?? 'default',
    ...cluster,
    taskDefinition: request.taskDefinition,
    family: definition.family,
    revision: definition.revision,
    capacityProviders: (request.capacityProviderStrategy ?? []).flatMap((s) =>
      s.capacityProvider ? [s.capacityProvider] : [],
    ),
    subnets: request.networkConfiguration?.awsvpcConfiguration?.subnets ?? [],
    failures: (detail.responseElements?.failures ?? []).map((f) =>
      present({ arn: f.arn, reason: f.reason, detail: f.detail }),
    ),
    failed: failedCall(raw),
    ...present({
      startedBy: request.startedBy,
      group: request.group,
      launchType: request.launchType,
      count: request.count,
      errorCode: detail.errorCode,
      errorMessage: detail.errorMessage,
      caller: detail.userIdentity?.arn,
      invokedBy: detail.userIdentity?.invokedBy,
      at: parseTimestamp(detail.eventTime),
    }),
  };
}

/**
 * Why a RunTask call is not notified, or `undefined` when it launched nothing it was asked to:
 * it returned an error, or `failures` with a reason (what the rule matches, `exists`).
 */
export function launchSkipReason(launch: Pick<FailedLaunch, 'failed'>): string | undefined {
  return launch.failed ? undefined : 'RunTask launched what it was asked to (no error, no failures)';
}

/** Whether the record has an `errorCode`, or a failure with a `reason`, of any value. */
function failedCall(raw: unknown): boolean {
  const detail = (raw as { detail?: Record<string, unknown> }).detail ?? {};
  const failures = (detail.responseElements as { failures?: unknown } | null | undefined)?.failures;
  return (
    Object.hasOwn(detail, 'errorCode') ||
    (Array.isArray(failures) &&
      failures.some((f) => f !== null && typeof f === 'object' && Object.hasOwn(f, 'reason')))
  );
}

function clusterOf(cluster: string, region: string, account: string) {
  const partition = partitionOfRegion(region);
  if (cluster.startsWith('arn:')) {
    try {
      const ref = parseClusterArn(cluster);
      return {
        clusterArn: cluster,
        clusterName: ref.clusterName,
        partition: ref.partition,
        region: ref.region,
        account: ref.account,
      };
    } catch (error) {
      throw new ValidationError('detail.requestParameters.cluster', (error as Error).message);
    }
  }
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(cluster))
    throw new ValidationError(
      'detail.requestParameters.cluster',
      `expected a cluster name or ARN, got ${JSON.stringify(cluster.slice(0, 60))}`,
    );
  return {
    clusterArn: `arn:${partition}:ecs:${region}:${account}:cluster/${cluster}`,
    clusterName: cluster,
    partition,
    region,
    account,
  };
}

/** `family`, `family:revision` or a task definition ARN. */
function definitionOf(taskDefinition: string): { family: string; revision: number | null } {
  const field = 'detail.requestParameters.taskDefinition';
  if (taskDefinition.startsWith('arn:')) {
    try {
      const { family, revision } = parseTaskDefinitionArn(taskDefinition);
      return { family, revision };
    } catch (error) {
      throw new ValidationError(field, (error as Error).message);
    }
  }
  const match = /^([A-Za-z0-9_-]{1,255})(?::(\d{1,9}))?$/.exec(taskDefinition);
  if (!match?.[1])
    throw new ValidationError(
      field,
      `expected a family, family:revision or task definition ARN, got ${JSON.stringify(taskDefinition.slice(0, 60))}`,
    );
  const revision = match[2] === undefined ? null : Number(match[2]);
  if (revision === 0) throw new ValidationError(field, 'expected a revision of 1 or more');
  return { family: match[1], revision };
}
