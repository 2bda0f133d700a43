import * as z from 'zod/mini';
import { parseWith } from '../config/validation.js';
import { present } from './task-from-ecs.js';

/** What the notifier reads from a task definition revision: its size, and where each container logs. */
export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  /** CPU units (`"1024"`), when the task definition sets them at task level. */
  cpu?: string;
  /** Memory in MiB (`"2048"`), when set at task level. */
  memory?: string;
  containers: ContainerDefinition[];
}

export interface ContainerDefinition {
  name: string;
  image?: string;
  /** ECS's default is `true`: a task stops when an essential container does. */
  essential: boolean;
  /** `awslogs`, `awsfirelens`, `splunk`, …; absent without a `logConfiguration`. */
  logDriver?: string;
  logOptions: Record<string, string>;
}

const text = z.string().check(z.minLength(1, 'must not be empty'));
const optionalText = z.optional(z.nullable(z.string()));

/** Only the fields the notifier reads; the rest (CLI v1 or v2, SDK or wire) is allowed and ignored. */
const TaskDefinitionSchema = z.object({
  taskDefinitionArn: text,
  family: text,
  revision: z.number().check(z.int(), z.minimum(1)),
  cpu: optionalText,
  memory: optionalText,
  containerDefinitions: z.array(
    z.object({
      name: text,
      image: optionalText,
      essential: z.optional(z.nullable(z.boolean())),
      logConfiguration: z.optional(
        z.nullable(
          z.object({
            logDriver: text,
            options: z.optional(z.nullable(z.record(z.string(), z.string()))),
          }),
        ),
      ),
    }),
  ),
});

/**
 * Converts DescribeTaskDefinition's `taskDefinition` into a {@link TaskDefinition}; throws a
 * `ValidationError` naming the field under `root` when one it needs is missing or malformed.
 */
export function taskDefinitionFromEcs(raw: unknown, root = 'taskDefinition'): TaskDefinition {
  const definition = parseWith(TaskDefinitionSchema, raw, root);
  return {
    taskDefinitionArn: definition.taskDefinitionArn,
    family: definition.family,
    revision: definition.revision,
    ...present({ cpu: definition.cpu, memory: definition.memory }),
    containers: definition.containerDefinitions.map((c) => ({
      name: c.name,
      essential: c.essential ?? true,
      logOptions: c.logConfiguration?.options ?? {},
      ...present({ image: c.image, logDriver: c.logConfiguration?.logDriver }),
    })),
  };
}

/** What DescribeTaskDefinition said about one revision. */
export type TaskDefinitionAnswer =
  | { kind: 'found'; definition: TaskDefinition }
  /**
   * It could not be read (denied, deleted, throttled, timed out): an error name, never a secret.
   * `lasting` when asking again would not help (denied, deleted), so the answer may be kept.
   */
  | { kind: 'unavailable'; reason: string; lasting?: boolean }
  /** Not asked (a saved file that does not hold it): the message says nothing about logs. */
  | { kind: 'not-run' };
