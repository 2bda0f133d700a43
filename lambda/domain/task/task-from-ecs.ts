import { parseWith, ValidationError } from '../config/validation.js';
import { parseClusterArn, parseTaskArn, parseTaskDefinitionArn } from './arn.js';
import { type TaskDetail, TaskDetailSchema } from './event-schema.js';
import type { ContainerState, Task } from './task.js';
import { parseTimestamp } from './timestamp.js';

/**
 * Converts an ECS task as events (`detail`) and DescribeTasks (`tasks[]`) describe it into a
 * {@link Task}. Throws a {@link ValidationError} naming the field (under `root`) when a field
 * the message needs is missing or malformed.
 */
export function taskFromEcs(raw: unknown, root = 'detail'): Task {
  const detail = parseWith(TaskDetailSchema, raw, root);
  const taskRef = guard(() => parseTaskArn(detail.taskArn), `${root}.taskArn`);
  const clusterRef = guard(() => parseClusterArn(detail.clusterArn), `${root}.clusterArn`);
  const definition = guard(
    () => parseTaskDefinitionArn(detail.taskDefinitionArn),
    `${root}.taskDefinitionArn`,
  );
  const times = readTimes(detail, root);
  return {
    taskArn: detail.taskArn,
    taskId: taskRef.taskId,
    cluster: detail.clusterArn,
    clusterName: clusterRef.clusterName,
    clusterArn: detail.clusterArn,
    taskDefinitionArn: detail.taskDefinitionArn,
    family: definition.family,
    revision: definition.revision,
    partition: taskRef.partition,
    region: taskRef.region,
    account: taskRef.account,
    lastStatus: detail.lastStatus,
    ...present({
      desiredStatus: detail.desiredStatus,
      launchType: detail.launchType,
      capacityProviderName: detail.capacityProviderName,
      availabilityZone: detail.availabilityZone,
      subnetId: subnetOf(detail),
      stopCode: detail.stopCode,
      stoppedReason: detail.stoppedReason,
      startedBy: detail.startedBy,
      group: detail.group,
      cpu: detail.cpu,
      memory: detail.memory,
      version: detail.version,
    }),
    ...times,
    containers: (detail.containers ?? []).map(toContainer),
    tags: Object.fromEntries(
      (detail.tags ?? []).flatMap((t) => (t.key ? [[t.key, t.value ?? ''] as const] : [])),
    ),
  };
}

function toContainer(c: NonNullable<TaskDetail['containers']>[number]): ContainerState {
  return {
    name: c.name,
    exitCode: c.exitCode ?? null,
    ...present({
      lastStatus: c.lastStatus,
      reason: c.reason,
      image: c.image,
      imageDigest: c.imageDigest,
      runtimeId: c.runtimeId,
    }),
  };
}

/** The ENI's subnet: events type the attachment `eni`, DescribeTasks `ElasticNetworkInterface`. */
function subnetOf(detail: TaskDetail): string | undefined {
  for (const attachment of detail.attachments ?? []) {
    if (attachment.type !== 'eni' && attachment.type !== 'ElasticNetworkInterface') continue;
    const subnet = attachment.details?.find((d) => d.name === 'subnetId')?.value;
    if (typeof subnet === 'string' && subnet) return subnet;
  }
  return undefined;
}

const TIME_KEYS = ['createdAt', 'startedAt', 'stoppingAt', 'stoppedAt'] as const;

function readTimes(detail: TaskDetail, root: string): Partial<Pick<Task, (typeof TIME_KEYS)[number]>> {
  const out: Partial<Pick<Task, (typeof TIME_KEYS)[number]>> = {};
  for (const key of TIME_KEYS) {
    const raw = detail[key];
    if (raw === undefined || raw === null) continue;
    const date = parseTimestamp(raw);
    if (!date)
      throw new ValidationError(`${root}.${key}`, `is not a timestamp: ${JSON.stringify(String(raw))}`);
    out[key] = date;
  }
  return out;
}

function guard<T>(parse: () => T, field: string): T {
  try {
    return parse();
  } catch (error) {
    throw new ValidationError(field, (error as Error).message);
  }
}

/** Drops `undefined` and `null` values, so optional fields are absent rather than empty. */
export function present<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  const out: Record<string, unknown> = {};
  for (const key in values) {
    const value = values[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out as { [K in keyof T]?: Exclude<T[K], null | undefined> };
}
