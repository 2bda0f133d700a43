import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, test } from 'vitest';
import { parseDeployConfig } from '../../lib/deploy-config.js';
import { nagPacks } from '../../lib/nag.js';
import { addNotifierStacks } from '../../lib/notifier-app.js';
import { bigLayout } from './big-layout.js';
import { committedConfig, committedFeatureFlags, TWO_VPCS } from './synth.js';

function buildApp(config: unknown): App {
  const app = new App({
    context: { ...committedFeatureFlags(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  addNotifierStacks(app, parseDeployConfig(config));
  return app;
}

/** Rule IDs cdk-nag reports, with the constructs, across the AWS Solutions and Serverless packs. */
function unacknowledged(app: App): string[] {
  return nagPacks(app).flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)),
  );
}

const SHARED_CLUSTER = 'arn:aws:ecs:us-east-1:123456789012:cluster/shared';

describe('cdk-nag (AWS Solutions and Serverless packs)', () => {
  test('reports nothing unacknowledged for the committed cdk.json example', () => {
    expect(unacknowledged(buildApp(committedConfig()))).toEqual([]);
  });

  test('reports nothing unacknowledged when the function needs ec2:DescribeSubnets', () => {
    const config = {
      ...TWO_VPCS,
      alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops-alarms',
      sources: [
        { label: 'vpc-a', clusterArn: SHARED_CLUSTER, vpcId: 'vpc-0aaa' },
        { label: 'vpc-b', clusterArn: SHARED_CLUSTER, vpcId: 'vpc-0bbb' },
      ],
    };
    expect(unacknowledged(buildApp(config))).toEqual([]);
  });

  test('reports nothing unacknowledged in forwarder stacks and the receiving bus policy', () => {
    const config = {
      ...TWO_VPCS,
      account: '123456789012',
      region: 'us-east-1',
      sources: [
        ...TWO_VPCS.sources,
        { label: 'partner', clusterArn: 'arn:aws:ecs:eu-west-1:210987654321:cluster/p' },
      ],
    };
    expect(unacknowledged(buildApp(config))).toEqual([]);
  });

  test('reports nothing unacknowledged for 200 clusters, their managed policies, forwarders and alarm topics', () => {
    expect(unacknowledged(buildApp(bigLayout({ homeClusters: 200 })))).toEqual([]);
  });

  test('reports nothing unacknowledged for a bus policy letting an organization in', () => {
    const config = { ...bigLayout({ homeClusters: 150 }), organizationId: 'o-a1b2c3d4e5' };
    expect(unacknowledged(buildApp(config))).toEqual([]);
  });

  test('runs on every synth: an unacknowledged finding fails it', () => {
    const app = buildApp(TWO_VPCS);
    const stack = app.node.findChild('EcsTaskNotifier');
    new Queue(stack, 'PlainQueue');

    expect(() => Template.fromStack(stack as never)).toThrow(/AwsSolutions-SQS4/);
  });
});
