import { formatTaskDefinition } from '../task/arn.js';
import type { ContainerState, CrossCheck, Task } from '../task/task.js';
import { present } from '../task/task-from-ecs.js';

/** What DescribeTasks said about one task. */
export type DescribeResult =
  | { kind: 'found'; task: Task }
  | { kind: 'missing'; reason: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'not-run' };

/** What an API said about one thing an event names (a service, a Batch job). */
export type Lookup<T> =
  | { kind: 'found'; value: T }
  | { kind: 'missing'; reason: string }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'not-run' };

/** The cross-check of an answer that can confirm or not, naming what it describes when it does. */
export function lookupCheck(answer: Lookup<unknown>, described?: CrossCheck['described']): CrossCheck {
  switch (answer.kind) {
    case 'found':
      return { status: 'confirmed', ...(described ? { described } : {}) };
    case 'missing':
      return { status: 'missing', detail: answer.reason };
    case 'unavailable':
      return { status: 'unavailable', detail: answer.reason };
    case 'not-run':
      return { status: 'not-run' };
  }
}

/**
 * Compares the event's task with DescribeTasks' answer, and fills in what events lack (tags,
 * capacity provider, subnet, and stop reason and exit codes when the event has none).
 */
export function crossCheckTask(task: Task, result: DescribeResult): { task: Task; crossCheck: CrossCheck } {
  switch (result.kind) {
    case 'not-run':
      return { task, crossCheck: { status: 'not-run' } };
    case 'missing':
      return { task, crossCheck: { status: 'missing', detail: result.reason } };
    case 'unavailable':
      return { task, crossCheck: { status: 'unavailable', detail: result.reason } };
    case 'found': {
      const described = result.task;
      const same = described.family === task.family && sameRevision(task.revision, described.revision);
      const crossCheck: CrossCheck = {
        status: same ? 'confirmed' : 'mismatch',
        described: { family: described.family, revision: described.revision },
        ...(same
          ? {}
          : {
              detail: `DescribeTasks names ${formatTaskDefinition(described.family, described.revision)}, the event ${formatTaskDefinition(task.family, task.revision)}`,
            }),
      };
      return { task: enrich(task, described), crossCheck };
    }
  }
}

/** An event without a revision agrees with any revision of the same family. */
function sameRevision(fromEvent: number | null, described: number | null): boolean {
  return fromEvent === null || fromEvent === described;
}

function enrich(task: Task, described: Task): Task {
  const hasExitCodes = task.containers.some((c) => c.exitCode !== null);
  return {
    ...task,
    stopCode: task.stopCode ?? described.stopCode,
    stoppedReason: task.stoppedReason ?? described.stoppedReason,
    containers:
      hasExitCodes || described.containers.length === 0
        ? task.containers.map((c) => withRuntimeFacts(c, described))
        : mergeContainers(task, described),
    startedBy: task.startedBy ?? described.startedBy,
    group: task.group ?? described.group,
    capacityProviderName: task.capacityProviderName ?? described.capacityProviderName,
    launchType: task.launchType ?? described.launchType,
    availabilityZone: task.availabilityZone ?? described.availabilityZone,
    subnetId: task.subnetId ?? described.subnetId,
    startedAt: task.startedAt ?? described.startedAt,
    stoppedAt: task.stoppedAt ?? described.stoppedAt,
    createdAt: task.createdAt ?? described.createdAt,
    ...present({ cpu: task.cpu ?? described.cpu, memory: task.memory ?? described.memory }),
    tags: { ...described.tags, ...task.tags },
  };
}

/** The image, its digest and the runtime ID from DescribeTasks where the event left them out. */
function withRuntimeFacts(container: ContainerState, described: Task): ContainerState {
  const other = described.containers.find((d) => d.name === container.name);
  if (!other) return container;
  return {
    ...container,
    ...present({
      image: container.image ?? other.image,
      imageDigest: container.imageDigest ?? other.imageDigest,
      runtimeId: container.runtimeId ?? other.runtimeId,
    }),
  };
}

function mergeContainers(task: Task, described: Task): ContainerState[] {
  if (task.containers.length === 0) return described.containers;
  return task.containers.map((c) => described.containers.find((d) => d.name === c.name) ?? c);
}
