import type { DescribeTaskDefinitionFn } from '../lambda/adapters/task-definitions.js';
import { parseTaskDefinitionArn } from '../lambda/domain/task/arn.js';
import { type TaskDefinition, taskDefinitionFromEcs } from '../lambda/domain/task/task-definition.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/**
 * Answers DescribeTaskDefinition offline from saved `aws ecs describe-task-definition` output
 * (`{"taskDefinition": …}`, CLI v1 or v2) or a bare task definition. A revision is found by its
 * ARN, else by `family:revision` (saved events may mask the account); one the files do not hold
 * is `not-run`, so its message says nothing about logs.
 */
export async function loadTaskDefinitionFiles(files: readonly string[]): Promise<DescribeTaskDefinitionFn> {
  const byArn = new Map<string, TaskDefinition>();
  const byRevision = new Map<string, TaskDefinition>();
  for (const file of files) {
    const json = (await readJsonOption('--task-definition', file)) as { taskDefinition?: unknown } | null;
    const raw = json && typeof json === 'object' && 'taskDefinition' in json ? json.taskDefinition : json;
    let definition: TaskDefinition;
    try {
      definition = taskDefinitionFromEcs(raw, 'taskDefinition');
    } catch (error) {
      throw new UsageError(
        `--task-definition ${file}: expected 'aws ecs describe-task-definition' output ({"taskDefinition": {...}}): ${(error as Error).message}`,
      );
    }
    byArn.set(definition.taskDefinitionArn, definition);
    byRevision.set(`${definition.family}:${definition.revision}`, definition);
  }
  return async (taskDefinitionArn) => {
    const found = byArn.get(taskDefinitionArn) ?? byRevision.get(revisionOf(taskDefinitionArn));
    return found ? { kind: 'found', definition: found } : { kind: 'not-run' };
  };
}

function revisionOf(arn: string): string {
  try {
    const { family, revision } = parseTaskDefinitionArn(arn);
    return `${family}:${revision}`;
  } catch {
    return arn;
  }
}
