import { NO_CREDENTIALS } from '../lambda/adapters/aws.js';
import type { DescribeTasksFn } from '../lambda/adapters/ecs.js';
import type { Io } from './command.js';

/**
 * DescribeTasks through the real API. Without credentials it says so once, on stderr, and asks
 * no more: every later task is `unavailable` for the same reason without a call.
 */
export async function awsDescribeTasks(
  io: Io,
  readerRoles: Readonly<Record<string, string>> = {},
): Promise<DescribeTasksFn> {
  const { createEcsDescribeTasks } = await import('../lambda/adapters/ecs.js');
  const describe = createEcsDescribeTasks({ readerRoles });
  // Calls for several clusters run at once: the first to find no credentials says so.
  let noCredentials = false;
  return async (cluster, region, taskArns) => {
    if (noCredentials)
      return new Map(taskArns.map((arn) => [arn, { kind: 'unavailable', reason: NO_CREDENTIALS }] as const));
    const results = await describe(cluster, region, taskArns);
    const found = [...results.values()].some((r) => r.kind === 'unavailable' && r.reason === NO_CREDENTIALS);
    if (found && !noCredentials) {
      noCredentials = true;
      io.err(
        'ecs-task-notifier replay: --aws found no AWS credentials (environment, shared config, SSO, container or instance role), so every cross-check is unavailable; set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give saved output with --describe-tasks FILE',
      );
    }
    return results;
  };
}
