import { createSubnetVpcLookup } from './adapters/ec2.js';
import { createEcsDescribeTasks } from './adapters/ecs.js';
import { createReadLogEvents } from './adapters/log-events.js';
import { createEcsDescribeTaskDefinition } from './adapters/task-definitions.js';
import type { NotifierConfig } from './domain/config/config.js';
import { needsVpcLookup } from './domain/report/source.js';
import type { NotifierAdapters } from './notifier.js';

/**
 * The readers that ask AWS (default credential chain; `AWS_ENDPOINT_URL_*` point them elsewhere):
 * DescribeTasks, DescribeTaskDefinition, GetLogEvents and, where sources differ by VPC only,
 * DescribeSubnets. Clients are built per region on first use, so unused ones cost nothing.
 */
export function awsReaders(
  config: Pick<NotifierConfig, 'sources'>,
): Pick<NotifierAdapters, 'describeTasks' | 'describeTaskDefinition' | 'logs' | 'lookupVpc'> {
  return {
    describeTasks: createEcsDescribeTasks(),
    describeTaskDefinition: createEcsDescribeTaskDefinition(),
    logs: { read: createReadLogEvents() },
    ...(needsVpcLookup(config) ? { lookupVpc: createSubnetVpcLookup() } : {}),
  };
}
