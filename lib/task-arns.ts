import { parseClusterArn } from '../lambda/domain/task/arn.js';

/** `arn:aws:ecs:us-east-1:123456789012:cluster/batch-a` → `arn:aws:ecs:us-east-1:123456789012:task/batch-a/*`. */
export function taskArnsOfCluster(clusterArn: string): string {
  const { partition, region, account, clusterName } = parseClusterArn(clusterArn);
  return `arn:${partition}:ecs:${region}:${account}:task/${clusterName}/*`;
}

/** The task ARN patterns of these clusters, each once. */
export function taskArnsOfClusters(clusterArns: readonly string[]): string[] {
  return [...new Set(clusterArns.map(taskArnsOfCluster))];
}

/** `arn:aws:ecs:us-east-1:123456789012:cluster/batch-a` → `arn:aws:ecs:us-east-1:123456789012:service/batch-a/*`. */
export function serviceArnsOfCluster(clusterArn: string): string {
  const { partition, region, account, clusterName } = parseClusterArn(clusterArn);
  return `arn:${partition}:ecs:${region}:${account}:service/${clusterName}/*`;
}

/** The service ARN patterns of these clusters, each once. */
export function serviceArnsOfClusters(clusterArns: readonly string[]): string[] {
  return [...new Set(clusterArns.map(serviceArnsOfCluster))];
}
