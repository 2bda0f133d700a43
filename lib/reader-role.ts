import { Validations } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { SourceConfig } from '../lambda/domain/config/config.js';
import type { ReportKind } from '../lambda/domain/report/report.js';
import { needsVpcLookup } from '../lambda/domain/report/source.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import type { DeployConfig } from './deploy-config.js';
import { forwardedSources } from './forwarded-sources.js';
import { serviceArnsOfClusters, taskArnsOfClusters } from './task-arns.js';

/**
 * The notifier function's role name, fixed when other accounts trust it: their reader roles name
 * it in their trust policies, which cannot wait for a generated name. One notifier per region.
 */
export function functionRoleName(notifierRegion: string): string {
  return `ecs-task-notifier-${notifierRegion}`;
}

/** A forwarder account's reader role for the notifier of `notifierRegion`, in `region`. */
export function readerRoleName(notifierRegion: string, region: string): string {
  return `ecs-task-notifier-reader-${notifierRegion}-${region}`;
}

/**
 * The reader role of every account and region whose clusters are in another account than the
 * notifier's, by `"ACCOUNT:REGION"`: what the function assumes there (shipped as `readerRoles`).
 */
export function readerRoles(config: DeployConfig): Record<string, string> {
  if (!config.account || !config.region) return {};
  const notifierRegion = config.region;
  const { partition } = parseClusterArn(config.sources[0].clusterArn);
  return Object.fromEntries(
    forwardedSources(config)
      .filter((group) => group.account !== config.account)
      .map((group) => [
        `${group.account}:${group.region}`,
        `arn:${partition}:iam::${group.account}:role/${readerRoleName(notifierRegion, group.region)}`,
      ]),
  );
}

/** Why `batch:DescribeJobs` is granted on `*`, for cdk-nag. */
export const BATCH_WILDCARD_REASON =
  "batch:DescribeJobs supports no resource-level permissions; it reads a failed job's attempts, exit code and log stream, for the message";

export interface TaskReaderRoleProps {
  /** The sources whose clusters are in this stack's account and region. */
  readonly sources: readonly SourceConfig[];
  /** The log groups the notifier may read tails from (`logGroups`). */
  readonly logGroups: readonly string[];
  readonly notifierAccount: string;
  readonly notifierRegion: string;
  /**
   * The kinds notified: services and deployments add DescribeServices, Batch jobs DescribeJobs.
   * @default ['task']
   */
  readonly events?: readonly ReportKind[];
}

/**
 * In a forwarder's account: the role the notifier's function assumes to read what a message needs
 * of this account's tasks (DescribeTasks on the configured clusters' tasks, DescribeTaskDefinition,
 * GetLogEvents on the `logGroups`' streams, DescribeSubnets where sources differ by VPC only), and,
 * for the kinds notified, DescribeServices on their services and Batch DescribeJobs.
 * ECS and CloudWatch Logs have no resource policies: a grant in the notifier's account reaches
 * nothing here. Only the notifier's function role may assume it.
 */
export class TaskReaderRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: TaskReaderRoleProps) {
    super(scope, id);
    const [first] = props.sources;
    if (!first) throw new Error('a reader role needs the sources it reads');
    const { partition, account, region } = parseClusterArn(first.clusterArn);
    const trusted = `arn:${partition}:iam::${props.notifierAccount}:role/${functionRoleName(props.notifierRegion)}`;
    this.role = new Role(this, 'Role', {
      roleName: readerRoleName(props.notifierRegion, region),
      description: `ecs-task-notifier in ${props.notifierAccount} ${props.notifierRegion}: reads this account's task details for its messages`,
      // The account, narrowed to one role by name: a principal naming the role itself would fail
      // to deploy before the notifier exists, and break if it were ever replaced.
      assumedBy: new AccountPrincipal(props.notifierAccount).withConditions({
        ArnEquals: { 'aws:PrincipalArn': trusted },
      }),
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DescribeConfiguredTasks',
        actions: ['ecs:DescribeTasks'],
        resources: taskArnsOfClusters(props.sources.map((s) => s.clusterArn)),
      }),
    );
    const wildcards = [
      'ecs:DescribeTaskDefinition supports no resource-level permissions; it reads where each container logs, for the links in a message',
    ];
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadTaskDefinitions',
        actions: ['ecs:DescribeTaskDefinition'],
        resources: ['*'],
      }),
    );
    if (needsVpcLookup({ sources: [...props.sources] })) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'LookUpSubnetVpc', actions: ['ec2:DescribeSubnets'], resources: ['*'] }),
      );
      wildcards.push(
        'ec2:DescribeSubnets supports no resource-level permissions; it only reads which VPC a subnet is in',
      );
    }
    const events = props.events ?? ['task'];
    const clusterArns = props.sources.map((s) => s.clusterArn);
    const services = events.some((k) => k === 'service' || k === 'deployment')
      ? serviceArnsOfClusters(clusterArns)
      : [];
    if (services.length > 0)
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'DescribeConfiguredServices',
          actions: ['ecs:DescribeServices'],
          resources: services,
        }),
      );
    if (events.includes('batch')) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'DescribeBatchJobs', actions: ['batch:DescribeJobs'], resources: ['*'] }),
      );
      wildcards.push(BATCH_WILDCARD_REASON);
    }
    const streams = props.logGroups.map(
      (group) => `arn:${partition}:logs:${region}:${account}:log-group:${group}:log-stream:*`,
    );
    if (streams.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ sid: 'ReadTaskLogTails', actions: ['logs:GetLogEvents'], resources: streams }),
      );
    }
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${wildcards.join('. ')}.`,
    });
    for (const arn of [...taskArnsOfClusters(clusterArns), ...services, ...streams]) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}]`,
        reason:
          'Scoped to the tasks or services of one configured cluster, or the streams of one group logGroups names; task IDs, service names and stream names are not known in advance.',
      });
    }
  }
}
