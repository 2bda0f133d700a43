import { describe, expect, test } from 'vitest';
import { e2eConfig, LABELS } from '../../e2e/config.js';
import { needsVpcLookup } from '../../lambda/domain/report/source.js';
import { forwardedSources } from '../../lib/forwarded-sources.js';

const CONFIG = e2eConfig({
  account: '123456789012',
  region: 'us-east-1',
  jobsClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/e2e-jobs',
  remoteClusterArn: 'arn:aws:ecs:us-east-1:210987654321:cluster/e2e-remote',
  networkA: { vpcId: 'vpc-0aaa', subnetId: 'subnet-0aaa' },
  networkB: { vpcId: 'vpc-0bbb', subnetId: 'subnet-0bbb' },
  webhookSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-webhook-AbCdEf',
  opsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/ops-webhook-GhIjKl',
  botTokenSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-bot-MnOpQr',
});

describe('the configuration the e2e deploys', () => {
  test('adds a forwarder stack for the second account, with its cluster only', () => {
    expect(forwardedSources(CONFIG)).toEqual([
      {
        account: '210987654321',
        region: 'us-east-1',
        sources: [expect.objectContaining({ label: LABELS.remote })],
      },
    ]);
  });

  test('tells one source by subnet and needs EC2 to tell the other by VPC', () => {
    expect(CONFIG.sources.find((s) => s.label === LABELS.bySubnet)?.subnetIds).toEqual(['subnet-0aaa']);
    expect(needsVpcLookup(CONFIG)).toBe(true);
  });

  test('routes one family to the route whose secret holds no value, another to a channel (app mode)', () => {
    expect(CONFIG.routes).toEqual([
      expect.objectContaining({ name: 'ops', match: { families: ['e2e-ops-sync'] } }),
      expect.objectContaining({
        name: 'oncall',
        match: { families: ['e2e-app-job'] },
        channel: 'C0E2EAPP01',
      }),
    ]);
  });
});
