import * as z from 'zod/mini';
import { parseWith, ValidationError } from '../lambda/domain/config/validation.js';
import { parseClusterArn, parseTaskArn } from '../lambda/domain/task/arn.js';
import type { ContainerState, Task } from '../lambda/domain/task/task.js';
import { present } from '../lambda/domain/task/task-from-ecs.js';
import { parseTimestamp } from '../lambda/domain/task/timestamp.js';

const text = z.string().check(z.minLength(1, 'must not be empty'));
const optionalText = z.optional(z.nullable(z.string()));

const MetadataContainerSchema = z.looseObject({
  Name: text,
  KnownStatus: optionalText,
  Type: optionalText,
  ExitCode: z.optional(z.nullable(z.number().check(z.int()))),
  CreatedAt: optionalText,
  StartedAt: optionalText,
});

/**
 * A task metadata endpoint `/task` (or `/taskWithTags`) response: v4, and the older v2/v3 shape
 * (no `LaunchType`, `VPCID`, sometimes no `AvailabilityZone`). Only the fields we read.
 */
export const TaskMetadataSchema = z.looseObject({
  /** The short name on EC2, the ARN on Fargate. */
  Cluster: text,
  TaskARN: text,
  Family: text,
  /** A string in metadata (`"26"`); a number elsewhere in ECS. */
  Revision: z.union([z.string().check(z.regex(/^[1-9]\d*$/, 'expected a revision like "26"')), z.number()]),
  DesiredStatus: optionalText,
  /** `NONE` early in a task's life. */
  KnownStatus: text,
  AvailabilityZone: optionalText,
  LaunchType: optionalText,
  VPCID: optionalText,
  ServiceName: optionalText,
  ExecutionStoppedAt: optionalText,
  Containers: z.optional(z.array(MetadataContainerSchema)),
  TaskTags: z.optional(z.nullable(z.record(z.string(), z.string()))),
});

export type TaskMetadata = z.output<typeof TaskMetadataSchema>;

/**
 * Converts a task metadata `/task` response into a {@link Task}. `cluster` keeps what the endpoint
 * reported; `clusterArn` is built from the task ARN's partition, region and account when the
 * endpoint gave a short name. Throws a {@link ValidationError} naming the field.
 */
export function taskFromMetadata(raw: unknown, root = ''): Task {
  rejectOtherResponse(raw, root);
  const meta = parseWith(TaskMetadataSchema, raw, root);
  const field = (name: string) => (root ? `${root}.${name}` : name);
  const taskRef = guard(() => parseTaskArn(meta.TaskARN), field('TaskARN'));
  const { partition, region, account } = taskRef;
  const clusterArn = meta.Cluster.startsWith('arn:')
    ? meta.Cluster
    : `arn:${partition}:ecs:${region}:${account}:cluster/${meta.Cluster}`;
  const clusterRef = guard(() => parseClusterArn(clusterArn), field('Cluster'));
  const revision = Number(meta.Revision);
  if (!Number.isSafeInteger(revision) || revision < 1) {
    throw new ValidationError(
      field('Revision'),
      `expected a revision of 1 or more, got ${JSON.stringify(meta.Revision)}`,
    );
  }
  const containers = (meta.Containers ?? []).filter(isOwnContainer);
  return {
    taskArn: meta.TaskARN,
    taskId: taskRef.taskId,
    cluster: meta.Cluster,
    clusterName: clusterRef.clusterName,
    clusterArn,
    taskDefinitionArn: `arn:${partition}:ecs:${region}:${account}:task-definition/${meta.Family}:${revision}`,
    family: meta.Family,
    revision,
    partition,
    region,
    account,
    lastStatus: meta.KnownStatus,
    ...present({
      desiredStatus: meta.DesiredStatus,
      launchType: meta.LaunchType,
      availabilityZone: meta.AvailabilityZone,
      vpcId: meta.VPCID,
      group: meta.ServiceName ? `service:${meta.ServiceName}` : undefined,
      createdAt: earliest(containers.map((c) => c.CreatedAt)),
      startedAt: earliest(containers.map((c) => c.StartedAt)),
      stoppedAt: parseTimestamp(meta.ExecutionStoppedAt),
    }),
    containers: containers.map(toContainer),
    tags: { ...(meta.TaskTags ?? {}) },
  };
}

/** Container and stats responses are common mix-ups with `/task`: say which one it is. */
function rejectOtherResponse(raw: unknown, root: string): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || 'TaskARN' in raw) return;
  const keys = Object.keys(raw);
  const kind =
    'DockerId' in raw || 'Networks' in raw
      ? 'a container response ($ECS_CONTAINER_METADATA_URI_V4)'
      : 'cpu_stats' in raw || 'memory_stats' in raw
        ? 'a container stats response (/stats)'
        : keys.length > 0 && keys.every((k) => /^[0-9a-f]{64}$/.test(k))
          ? 'a task stats response (/task/stats)'
          : undefined;
  if (kind) {
    throw new ValidationError(
      root ? `${root}.TaskARN` : 'TaskARN',
      `is required: this looks like ${kind}; capture $ECS_CONTAINER_METADATA_URI_V4/task instead`,
    );
  }
}

/** The agent's own containers (`~internal~ecs~pause`, type `CNI_PAUSE`) are not the task's. */
function isOwnContainer(c: z.output<typeof MetadataContainerSchema>): boolean {
  return !c.Name.startsWith('~internal~') && (c.Type === undefined || c.Type === null || c.Type === 'NORMAL');
}

function toContainer(c: z.output<typeof MetadataContainerSchema>): ContainerState {
  return { name: c.Name, exitCode: c.ExitCode ?? null, ...present({ lastStatus: c.KnownStatus }) };
}

function earliest(values: (string | null | undefined)[]): Date | undefined {
  const dates = values.map(parseTimestamp).filter((d): d is Date => d !== undefined);
  return dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : undefined;
}

function guard<T>(parse: () => T, field: string): T {
  try {
    return parse();
  } catch (error) {
    throw new ValidationError(field, (error as Error).message);
  }
}
