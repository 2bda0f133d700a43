import { createBatchDescribeJobs } from './adapters/batch.js';
import { createSubnetVpcLookup } from './adapters/ec2.js';
import { createEcsDescribeTasks } from './adapters/ecs.js';
import { createEcsDescribeServices } from './adapters/ecs-services.js';
import { createReadLogEvents } from './adapters/log-events.js';
import { createEcsDescribeTaskDefinition } from './adapters/task-definitions.js';
import type { NotifierConfig } from './domain/config/config.js';
import { needsVpcLookup } from './domain/report/source.js';
import type { NotifierAdapters } from './notifier.js';

/** The readers {@link awsReaders} makes. */
export type AwsReaders = Pick<
  NotifierAdapters,
  'describeTasks' | 'describeTaskDefinition' | 'logs' | 'lookupVpc' | 'describeServices' | 'describeJobs'
>;

/**
 * The readers that ask AWS (default credential chain; `AWS_ENDPOINT_URL_*` point them elsewhere):
 * DescribeTasks, DescribeTaskDefinition, GetLogEvents, DescribeServices when services or
 * deployments are notified, Batch DescribeJobs when Batch jobs are, and, where sources differ by
 * VPC only, DescribeSubnets. Clients are built per region (and reader role) on first use, so
 * unused ones cost nothing.
 */
export function awsReaders(
  config: Pick<NotifierConfig, 'sources' | 'readerRoles'> & Partial<Pick<NotifierConfig, 'events'>>,
): AwsReaders {
  // Another account's resources are read with its reader role, this account's with our own.
  const { readerRoles } = config;
  const events = config.events ?? ['task'];
  return {
    describeTasks: createEcsDescribeTasks({ readerRoles }),
    describeTaskDefinition: createEcsDescribeTaskDefinition({ readerRoles }),
    logs: { read: createReadLogEvents({ readerRoles }) },
    ...(events.includes('service') || events.includes('deployment')
      ? { describeServices: createEcsDescribeServices({ readerRoles }) }
      : {}),
    ...(events.includes('batch') ? { describeJobs: createBatchDescribeJobs({ readerRoles }) } : {}),
    ...(needsVpcLookup(config) ? { lookupVpc: createSubnetVpcLookup(readerRoles) } : {}),
  };
}
