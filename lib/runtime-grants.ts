import { Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyDocument, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { needsVpcLookup } from '../lambda/domain/report/source.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import type { DeployConfig } from './deploy-config.js';
import { iamPolicySize, QUOTAS } from './quotas.js';
import { BATCH_WILDCARD_REASON, readerRoles } from './reader-role.js';
import { serviceArnsOfClusters, taskArnsOfClusters } from './task-arns.js';

/** The configuration key each list-sized statement grows with (by its `Sid`, without a chunk number). */
export const STATEMENT_KEYS: Readonly<Record<string, string>> = {
  DescribeConfiguredTasks: 'sources',
  DescribeConfiguredServices: 'sources',
  ReadSlackSecrets: 'routes',
  ReadTaskLogTails: 'logGroups',
  AssumeReaderRoles: 'sources',
};

// Room the role's other inline statements may take, their ARNs at their longest (the template check verifies).
const FIXED_INLINE_RESERVE = 3_072;

/** A statement whose resources grow with the configuration, and why its wildcards are acceptable. */
interface ListGrant {
  readonly sid: string;
  readonly action: string;
  readonly resources: readonly string[];
  /** The cdk-nag AwsSolutions-IAM5 reason for each resource, when the resources hold wildcards. */
  readonly wildcardReason?: string;
}

/**
 * What the handler calls: DescribeTasks, the Slack secrets (webhooks, bot token), the idempotency
 * table, DescribeTaskDefinition, GetLogEvents on the `logGroups`' streams, maybe DescribeSubnets,
 * and for the kinds in `events`, DescribeServices on the clusters' services and Batch DescribeJobs.
 * The statements that grow with the configuration stay inline while the role's inline policy
 * fits IAM's quota; past that they go to managed policies, split to fit each.
 */
export function grantRuntimeAccess(
  scope: Construct,
  role: Role,
  config: DeployConfig,
  tableArn: string,
): void {
  let inlineUsed = 0;
  for (const grant of listGrants(config)) {
    if (grant.resources.length === 0) continue;
    const statement = listStatement(grant.sid, grant);
    const size = iamPolicySize(statement.toStatementJson());
    if (inlineUsed + size <= QUOTAS.roleInlinePolicySize.limit - FIXED_INLINE_RESERVE) {
      role.addToPrincipalPolicy(statement);
      inlineUsed += size;
      acknowledgeWildcards(role, grant, grant.resources);
      continue;
    }
    for (const [i, statement] of managedPolicyStatements(grant).entries()) {
      const policy = new ManagedPolicy(scope, `${grant.sid}Policy${i + 1}`, {
        description: `ecs-task-notifier Lambda: ${grant.action}, part ${i + 1}`,
        document: new PolicyDocument({ statements: [statement] }),
        roles: [role],
      });
      acknowledgeWildcards(policy, grant, statement.resources);
    }
  }
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'IdempotencyRecords',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      resources: [tableArn],
    }),
  );
  // Actions that take no resource ARN, each with why: acknowledged once, with every reason.
  const anyResource: string[] = [];
  // The task definition names each container's log stream; a revision ARN cannot be scoped in IAM.
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadTaskDefinitions',
      actions: ['ecs:DescribeTaskDefinition'],
      resources: ['*'],
    }),
  );
  anyResource.push(
    'ecs:DescribeTaskDefinition supports no resource-level permissions; it reads where each container logs, for the links in a message',
  );
  if (config.events.includes('batch')) {
    role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'DescribeBatchJobs', actions: ['batch:DescribeJobs'], resources: ['*'] }),
    );
    anyResource.push(BATCH_WILDCARD_REASON);
  }
  if (needsVpcLookup(config)) {
    // Two sources share a cluster and differ by vpcId only: the handler asks EC2 for a subnet's VPC.
    role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'LookUpSubnetVpc', actions: ['ec2:DescribeSubnets'], resources: ['*'] }),
    );
    anyResource.push(
      'ec2:DescribeSubnets supports no resource-level permissions; it only reads which VPC a subnet is in',
    );
  }
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${anyResource.join('. ')}.`,
  });
}

/**
 * The account the function runs in: `account`, or (without it) the one account every cluster is in.
 * Its role can reach nothing in another account: ECS and CloudWatch Logs answer for the caller's own.
 */
export function homeAccount(config: DeployConfig): string {
  return config.account ?? parseClusterArn(config.sources[0].clusterArn).account;
}

function listGrants(config: DeployConfig): ListGrant[] {
  const home = homeAccount(config);
  const homeClusters = config.sources
    .map((s) => s.clusterArn)
    .filter((arn) => parseClusterArn(arn).account === home);
  return [
    {
      sid: 'ReadSlackSecrets',
      action: 'secretsmanager:GetSecretValue',
      resources: slackSecretArns(config),
    },
    {
      sid: 'DescribeConfiguredTasks',
      action: 'ecs:DescribeTasks',
      resources: taskArnsOfClusters(homeClusters),
      wildcardReason:
        'DescribeTasks is scoped to the tasks of one configured cluster of this account; task IDs are not known in advance.',
    },
    {
      sid: 'DescribeConfiguredServices',
      action: 'ecs:DescribeServices',
      // Only when services or deployments are notified: DescribeServices names their revision.
      resources: config.events.some((k) => k === 'service' || k === 'deployment')
        ? serviceArnsOfClusters(homeClusters)
        : [],
      wildcardReason:
        'DescribeServices is scoped to the services of one configured cluster of this account; service names are not known in advance.',
    },
    {
      sid: 'AssumeReaderRoles',
      action: 'sts:AssumeRole',
      // Each other account's reader role, by its exact ARN; those roles trust this one alone.
      resources: [...new Set(Object.values(readerRoles(config)))],
    },
    {
      sid: 'ReadTaskLogTails',
      action: 'logs:GetLogEvents',
      resources: logStreamArns(config, home, homeClusters),
      wildcardReason:
        'GetLogEvents is scoped to the streams of the log groups logGroups names, in this account and the regions of its configured clusters; stream names (task IDs) are not known in advance.',
    },
  ];
}

/**
 * Exactly the Slack secrets the configuration names: the default webhook's, each route's, and the
 * bot token's (app mode).
 */
export function slackSecretArns(config: DeployConfig): string[] {
  return [
    ...new Set([
      ...(config.slackWebhookSecretArn ? [config.slackWebhookSecretArn] : []),
      ...config.routes.flatMap((route) => (route.webhookSecretArn ? [route.webhookSecretArn] : [])),
      ...(config.slackBotTokenSecretArn ? [config.slackBotTokenSecretArn] : []),
    ]),
  ];
}

/**
 * The streams of the configured log groups in the function's account, in each region one of its
 * clusters is in: `arn:aws:logs:us-east-1:123456789012:log-group:/ecs/batch-*:log-stream:*`.
 * (A container whose `awslogs-region` names another region shows no log lines.)
 */
function logStreamArns(config: DeployConfig, home: string, homeClusters: readonly string[]): string[] {
  const regions = [...new Set(homeClusters.map((arn) => parseClusterArn(arn).region))];
  const { partition } = parseClusterArn(config.sources[0].clusterArn);
  return regions.flatMap((region) =>
    config.logGroups.map(
      (group) => `arn:${partition}:logs:${region}:${home}:log-group:${group}:log-stream:*`,
    ),
  );
}

function listStatement(sid: string, grant: ListGrant, resources = grant.resources): PolicyStatement {
  return new PolicyStatement({ sid, actions: [grant.action], resources: [...resources] });
}

/** The grant's resources in as few statements as fit one managed policy each (`Sid` numbered from 1). */
function managedPolicyStatements(grant: ListGrant): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const next = (resources: readonly string[]) =>
    listStatement(`${grant.sid}${statements.length + 1}`, grant, resources);
  const fits = (resources: readonly string[]) =>
    iamPolicySize(new PolicyDocument({ statements: [next(resources)] }).toJSON()) <=
    QUOTAS.managedPolicySize.limit;
  let resources: string[] = [];
  for (const resource of grant.resources) {
    if (resources.length > 0 && !fits([...resources, resource])) {
      statements.push(next(resources));
      resources = [];
    }
    resources.push(resource);
  }
  if (resources.length > 0) statements.push(next(resources));
  return statements;
}

function acknowledgeWildcards(scope: Construct, grant: ListGrant, resources: readonly string[]): void {
  const reason = grant.wildcardReason;
  if (!reason) return;
  for (const arn of resources) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${arn}]`, reason });
  }
}
