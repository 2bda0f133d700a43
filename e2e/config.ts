import { type DeployConfig, parseDeployConfig } from '../lib/deploy-config.js';
import type { Network } from './world.js';

/** The sources' labels: how a message names where a task ran. */
export const LABELS = {
  /** Tasks in subnet A of the shared cluster: told by `subnetIds`. */
  bySubnet: 'jobs (vpc-a)',
  /** Tasks in VPC B of the shared cluster: told by `vpcId`, through EC2 DescribeSubnets. */
  byVpc: 'jobs (vpc-b)',
  /** The cluster in the second account, whose events a forwarder sends. */
  remote: 'remote (second account)',
} as const;

/** The family routed to the `ops` route, whose secret holds no value. */
export const OPS_FAMILY = 'e2e-ops-sync';

export interface E2eConfigInput {
  account: string;
  region: string;
  /** The shared cluster in the notifier's account, and the one in the second account. */
  jobsClusterArn: string;
  remoteClusterArn: string;
  networkA: Network;
  networkB: Network;
  webhookSecretArn: string;
  /** A secret created without a value: the `ops` route can never read its webhook. */
  opsSecretArn: string;
}

/**
 * The configuration the e2e deploys: account and region (so the second account gets a forwarder
 * stack), one cluster shared by two VPCs (one source told by subnet, one by VPC), the remote
 * cluster, log tails of `/ecs/e2e-*`, successes as full cards, and a route whose webhook cannot be
 * read.
 */
export function e2eConfig(input: E2eConfigInput): DeployConfig {
  return parseDeployConfig({
    account: input.account,
    region: input.region,
    sources: [
      {
        label: LABELS.bySubnet,
        clusterArn: input.jobsClusterArn,
        vpcId: input.networkA.vpcId,
        subnetIds: [input.networkA.subnetId],
      },
      { label: LABELS.byVpc, clusterArn: input.jobsClusterArn, vpcId: input.networkB.vpcId },
      { label: LABELS.remote, clusterArn: input.remoteClusterArn },
    ],
    notifyOn: ['STOPPED'],
    ignoreGroups: ['service:'],
    logGroups: ['/ecs/e2e-*'],
    // Full cards for successes too, so both stops show their VPC, cross-check and log links.
    successes: 'card',
    slackWebhookSecretArn: input.webhookSecretArn,
    routes: [{ name: 'ops', match: { families: [OPS_FAMILY] }, webhookSecretArn: input.opsSecretArn }],
  });
}
