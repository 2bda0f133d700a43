import type { DescribeTasksFn } from '../lambda/adapters/ecs.js';
import type { DescribeResult } from '../lambda/domain/report/cross-check.js';
import { readAnswer } from '../lambda/domain/task/describe-answer.js';
import { UsageError } from './command.js';
import { readJsonOption } from './read-json.js';

/**
 * Answers the cross-check offline from saved `aws ecs describe-tasks` output (CLI v1 epoch
 * seconds or v2 ISO strings), `run-task`'s `tasks[]` or `stop-task`'s `{ "task": … }`. A task the
 * files do not mention is `not-run`: absence from a saved file proves nothing.
 */
export async function loadDescribeTasksFiles(files: readonly string[]): Promise<DescribeTasksFn> {
  const known = new Map<string, DescribeResult>();
  for (const file of files) {
    const json = await readJsonOption('--describe-tasks', file);
    const answer = json as { tasks?: unknown; failures?: unknown; task?: unknown } | null;
    const tasks = Array.isArray(answer?.tasks) ? answer.tasks : answer?.task ? [answer.task] : undefined;
    if (!tasks) {
      throw new UsageError(
        `--describe-tasks ${file}: expected DescribeTasks output ({"tasks": [...]}) or {"task": {...}}`,
      );
    }
    try {
      readAnswer({ tasks, failures: Array.isArray(answer?.failures) ? answer.failures : [] }, known);
    } catch (error) {
      throw new UsageError(`--describe-tasks ${file}: ${(error as Error).message}`);
    }
  }
  return async (_cluster, _region, taskArns) =>
    new Map(taskArns.map((arn) => [arn, known.get(arn) ?? { kind: 'not-run' }] as const));
}
