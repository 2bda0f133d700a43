import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { type TaskDefinitionAnswer, taskDefinitionFromEcs } from '../domain/task/task-definition.js';
import { type ClientFor, describeError } from './aws.js';
import { accountOf, ecsClientsByRegion } from './ecs.js';

/** DescribeTaskDefinition for one revision (an ARN); never rejects. */
export type DescribeTaskDefinitionFn = (
  taskDefinitionArn: string,
  region: string,
) => Promise<TaskDefinitionAnswer>;

/**
 * Answers that stay true for the life of the instance: a revision never changes, and one that
 * is deleted (`ClientException`) or denied stays so until a deployment, which starts new instances.
 */
const LASTING_ERRORS = new Set(['ClientException', 'AccessDeniedException', 'UnauthorizedOperation']);

export interface TaskDefinitionAdapterOptions {
  /** Defaults to one `ECSClient` per region and reader role, built once. */
  clientFor?: ClientFor<ECSClient>;
  /** Roles to read other accounts' task definitions with, by `"ACCOUNT:REGION"` (`readerRoles`). */
  readerRoles?: Readonly<Record<string, string>>;
}

/**
 * DescribeTaskDefinition through the real `ECSClient`. A call that fails (denied, deleted,
 * throttled past the SDK's retries, timed out) answers `unavailable` with the error's name.
 */
export function createEcsDescribeTaskDefinition(
  options: TaskDefinitionAdapterOptions = {},
): DescribeTaskDefinitionFn {
  // Short timeouts: the message waits for this answer, and goes without links rather than late.
  const clientFor =
    options.clientFor ??
    ecsClientsByRegion({
      maxAttempts: 2,
      requestTimeoutMs: 2000,
      ...(options.readerRoles ? { readerRoles: options.readerRoles } : {}),
    });
  return async (taskDefinitionArn, region) => {
    let answer: unknown;
    try {
      answer = await clientFor(region, accountOf(taskDefinitionArn)).send(
        new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
      );
    } catch (error) {
      return {
        kind: 'unavailable',
        reason: describeError(error),
        ...(LASTING_ERRORS.has((error as Error).name) ? { lasting: true } : {}),
      };
    }
    try {
      const raw = (answer as { taskDefinition?: unknown }).taskDefinition;
      return { kind: 'found', definition: taskDefinitionFromEcs(raw) };
    } catch (error) {
      return { kind: 'unavailable', reason: (error as Error).message, lasting: true };
    }
  };
}
