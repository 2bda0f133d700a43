import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { DeployConfig } from '../lib/deploy-config.js';
import type { Account } from './aws.js';
import { APP_FAMILY, DEPLOY_FAMILY, e2eConfig, OPS_FAMILY } from './config.js';
import { createCluster, createNetwork, type Network } from './world.js';

/** What exists in moto before the app is synthesized, and the configuration naming it. */
export interface PreparedWorld {
  networks: { a: Network; b: Network };
  clusterNames: { jobs: string; remote: string };
  config: DeployConfig;
}

/**
 * Creates what the configuration names: two VPCs and the shared cluster in the notifier's account,
 * the remote cluster in the other, the webhook secret (holding the sink's URL), the ops route's
 * secret, created without a value, and the bot token's secret. Secret ARNs end in a suffix Secrets Manager picks, so they
 * exist before `cdk synth` reads them from the configuration.
 */
export async function prepareWorld(input: {
  notifier: Account;
  clusters: Account;
  webhookUrl: string;
  botToken: string;
}): Promise<PreparedWorld> {
  const { notifier, clusters } = input;
  const a = await createNetwork(notifier, '10.1.0.0/16');
  const b = await createNetwork(notifier, '10.2.0.0/16');
  const clusterNames = { jobs: 'e2e-jobs', remote: 'e2e-remote' };
  const jobsClusterArn = await createCluster(notifier, clusterNames.jobs, [
    'e2e-report',
    OPS_FAMILY,
    APP_FAMILY,
    DEPLOY_FAMILY,
  ]);
  const remoteClusterArn = await createCluster(clusters, clusterNames.remote, ['e2e-remote-job']);
  const { secrets } = notifier.clients;
  const webhook = await secrets.send(
    new CreateSecretCommand({
      Name: 'ecs-task-notifier/slack-webhook',
      SecretString: JSON.stringify({ url: input.webhookUrl }),
    }),
  );
  const ops = await secrets.send(new CreateSecretCommand({ Name: 'ecs-task-notifier/ops-webhook' }));
  const bot = await secrets.send(
    new CreateSecretCommand({
      Name: 'ecs-task-notifier/slack-bot',
      SecretString: JSON.stringify({ token: input.botToken }),
    }),
  );
  const config = e2eConfig({
    account: notifier.id,
    region: notifier.config.region,
    jobsClusterArn,
    remoteClusterArn,
    networkA: a,
    networkB: b,
    webhookSecretArn: webhook.ARN as string,
    opsSecretArn: ops.ARN as string,
    botTokenSecretArn: bot.ARN as string,
  });
  return { networks: { a, b }, clusterNames, config };
}
