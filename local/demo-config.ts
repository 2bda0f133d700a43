import { type NotifierConfig, parseNotifierConfig } from '../lambda/domain/config/config.js';

const secret = (name: string) =>
  `arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs-task-notifier/${name}-Dem0Ab`;

/**
 * The embedded default for `npm start` and `local`: one batch job's two sources, in two VPCs, every
 * kind of event, and two channels: failures to `alerts`, pinging the on-call group, and everything
 * to `log`.
 */
export const DEMO_CONFIG: NotifierConfig = parseNotifierConfig({
  sources: [
    {
      label: 'nightly-import (prod)',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-prod',
      vpcId: 'vpc-0a1b2c3d4e5f67890',
    },
    {
      label: 'nightly-import (staging)',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch-staging',
      vpcId: 'vpc-0fedcba9876543210',
      jobQueues: ['arn:aws:batch:eu-west-1:111122223333:job-queue/nightly-import-staging'],
    },
  ],
  events: ['task', 'service', 'deployment', 'launch', 'batch'],
  logGroups: ['/ecs/nightly-import-*'],
  routes: [
    {
      name: 'alerts',
      match: { outcomes: ['failed'] },
      webhookSecretArn: secret('alerts'),
      mention: { groups: ['S0614TZR7'] },
    },
    { name: 'log', webhookSecretArn: secret('log') },
  ],
});
