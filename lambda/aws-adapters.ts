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
 * DescribeSubnets. Clients are built per region (and reader role) on first use, so unused ones cost
 * nothing.
 */
export function awsReaders(
  config: Pick<NotifierConfig, 'sources' | 'readerRoles'>,
): Pick<NotifierAdapters, 'describeTasks' | 'describeTaskDefinition' | 'logs' | 'lookupVpc'> {
  // Another account's resources are read with its reader role, this account's with our own.
  const { readerRoles } = config;
  return {
    describeTasks: createEcsDescribeTasks({ readerRoles }),
    describeTaskDefinition: createEcsDescribeTaskDefinition({ readerRoles }),
    logs: { read: createReadLogEvents({ readerRoles }) },
    ...(needsVpcLookup(config) ? { lookupVpc: createSubnetVpcLookup(readerRoles) } : {}),
  };
}
