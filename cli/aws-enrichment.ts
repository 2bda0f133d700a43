import type { NotifierConfig } from '../lambda/domain/config.js';
import type { EnrichDeps } from '../lambda/pipeline/enrich.js';

/**
 * The real DescribeTaskDefinition and, when `logGroups` names some, GetLogEvents (default
 * credential chain; `AWS_ENDPOINT_URL_ECS` and `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` point them
 * elsewhere). Loaded only for `--aws`, as the Lambda builds them.
 */
export async function awsEnrichment(
  config: Pick<NotifierConfig, 'logGroups'>,
): Promise<Pick<EnrichDeps, 'describeTaskDefinition' | 'readLogEvents'>> {
  const { createEcsDescribeTaskDefinition } = await import('../lambda/adapters/task-definitions.js');
  const readLogEvents =
    config.logGroups.length > 0
      ? (await import('../lambda/adapters/log-events.js')).createReadLogEvents()
      : undefined;
  return {
    describeTaskDefinition: createEcsDescribeTaskDefinition(),
    ...(readLogEvents ? { readLogEvents } : {}),
  };
}
