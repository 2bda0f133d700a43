import type { NotifierConfig, SourceConfig } from '../config/config.js';
import { truncate } from '../message/slack-text.js';
import type { Source, Task } from '../task/task.js';

/**
 * Looks up the VPC of a subnet (EC2 DescribeSubnets), for sources configured by `vpcId` only.
 * Rejects with an error whose message is safe to show in a message (no request, no secret).
 */
export type SubnetVpcLookup = (
  subnetId: string,
  region: string,
  account?: string,
) => Promise<string | undefined>;

export type SourceMatch = { source: Source } | { skip: string };

/** Where something ran, as far as source resolution needs: its cluster, and its subnet when known. */
export type Placement = Pick<
  Task,
  'clusterArn' | 'clusterName' | 'account' | 'region' | 'subnetId' | 'vpcId'
>;

/**
 * Which configured source a task came from. Matches by cluster ARN; where several sources share
 * a cluster, by the task's ENI subnet (`subnetIds`, else `vpcId` via `lookupVpc`). A cluster that
 * is not configured is still notified, labelled by its name, account and region.
 */
export async function resolveSource(
  task: Placement,
  config: Pick<NotifierConfig, 'sources'>,
  lookupVpc?: SubnetVpcLookup,
): Promise<SourceMatch> {
  const candidates = config.sources.filter((s) => s.clusterArn === task.clusterArn);
  if (candidates.length === 0) return { source: unconfiguredSource(task) };
  const filtered = candidates.filter((s) => s.subnetIds || (candidates.length > 1 && s.vpcId));
  if (filtered.length === 0) return { source: toSource(candidates[0] as SourceConfig, task) };

  const subnet = task.subnetId;
  const bySubnet = subnet ? candidates.find((s) => s.subnetIds?.includes(subnet)) : undefined;
  if (bySubnet) return { source: toSource(bySubnet, task) };

  const byVpcOnly = candidates.filter((s) => !s.subnetIds && s.vpcId);
  if (subnet && byVpcOnly.length > 0 && lookupVpc) {
    let vpcId: string | undefined;
    try {
      vpcId = await lookupVpc(subnet, task.region, task.account);
    } catch (error) {
      // One event's failed lookup must not hold up the others: it goes out labelled by cluster.
      return {
        source: {
          ...unconfiguredSource(task),
          configured: true,
          note: `could not tell which source: ${(error as Error).message}`,
        },
      };
    }
    const byVpc = byVpcOnly.find((s) => s.vpcId === vpcId);
    if (byVpc) return { source: toSource(byVpc, task) };
  }
  const catchAll = candidates.find((s) => !s.subnetIds && !s.vpcId);
  if (catchAll) return { source: toSource(catchAll, task) };
  if (subnet)
    return { skip: `subnet ${subnet} is in none of the sources configured for cluster ${task.clusterName}` };
  return {
    skip:
      candidates.length === 1
        ? `the task has no ENI subnet to match source ${JSON.stringify(candidates[0]?.label)} (subnetIds)`
        : `the task has no ENI subnet to tell the sources of cluster ${task.clusterName} apart`,
  };
}

/** True when telling this configuration's sources apart may need EC2 DescribeSubnets. */
export function needsVpcLookup(config: Pick<NotifierConfig, 'sources'>): boolean {
  return config.sources.some(
    (s) => s.vpcId && !s.subnetIds && config.sources.filter((o) => o.clusterArn === s.clusterArn).length > 1,
  );
}

function toSource(config: SourceConfig, task: Placement): Source {
  const vpcId = config.vpcId ?? task.vpcId;
  return { label: config.label, configured: true, ...(vpcId ? { vpcId } : {}) };
}

/** A cluster's label: its name, account and region, kept short (names run to 255 characters). */
export function unconfiguredSource(
  task: Pick<Placement, 'clusterName' | 'account' | 'region' | 'vpcId'>,
): Source {
  return {
    label: `${truncate(task.clusterName, 48)} (${truncate(task.account, 16)}, ${task.region})`,
    configured: false,
    ...(task.vpcId ? { vpcId: task.vpcId } : {}),
  };
}

/**
 * {@link resolveSource} for what is not a task (a service, a RunTask call): where the sources of a
 * shared cluster cannot be told apart (no subnet known), it is still notified, labelled by its
 * cluster, with a note saying why the source is uncertain: a failure is never skipped for it.
 */
export async function resolveSourceOrNote(
  placement: Placement,
  config: Pick<NotifierConfig, 'sources'>,
  lookupVpc?: SubnetVpcLookup,
): Promise<Source> {
  const match = await resolveSource(placement, config, lookupVpc);
  if ('source' in match) return match.source;
  return {
    ...unconfiguredSource(placement),
    configured: true,
    note: `could not tell which source: ${match.skip.replace(/^the task has/, 'it has')}`,
  };
}
