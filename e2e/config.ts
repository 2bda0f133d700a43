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

/** The family routed to the `oncall` route, which posts to a channel with the bot token (app mode). */
export const APP_FAMILY = 'e2e-app-job';
export const APP_CHANNEL = 'C0E2EAPP01';

/** The family of the service whose deployment fails (deployment events are notified too). */
export const DEPLOY_FAMILY = 'e2e-web';

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
  /** The Slack app's bot token, for the `oncall` route's channel. */
  botTokenSecretArn: string;
}

/**
 * The configuration the e2e deploys: account and region (so the second account gets a forwarder
 * stack), one cluster shared by two VPCs (one source told by subnet, one by VPC), the remote
 * cluster, log tails of `/ecs/e2e-*`, successes as full cards, a route whose webhook cannot be
 * read, a route that posts to a channel with the bot token (app mode), and failed deployments.
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
    events: ['task', 'deployment'],
    notifyOn: ['STOPPED'],
    ignoreGroups: ['service:'],
    logGroups: ['/ecs/e2e-*'],
    // Full cards for successes too, so both stops show their VPC, cross-check and log links.
    successes: 'card',
    slackWebhookSecretArn: input.webhookSecretArn,
    slackBotTokenSecretArn: input.botTokenSecretArn,
    routes: [
      { name: 'ops', match: { families: [OPS_FAMILY] }, webhookSecretArn: input.opsSecretArn },
      { name: 'oncall', match: { families: [APP_FAMILY] }, channel: APP_CHANNEL },
    ],
  });
}
