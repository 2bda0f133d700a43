import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { batchHint, launchHint, parseDeployConfig } from '../../lib/deploy-config.js';
import { nagPacks } from '../../lib/nag.js';
import { type Synthesized, synthNotifier, TWO_VPCS } from './synth.js';

const KINDS = ['task', 'service', 'deployment', 'launch', 'batch'];
const PARTNER = 'arn:aws:ecs:us-east-1:210987654321:cluster/partner';

/** Two clusters of the notifier's account and one of another, every kind notified. */
const EVERY_KIND = {
  ...TWO_VPCS,
  events: KINDS,
  account: '123456789012',
  region: 'us-east-1',
  sources: [...TWO_VPCS.sources, { label: 'partner', clusterArn: PARTNER }],
};

/** Every statement of every IAM policy of a template, inline or managed. */
function statements(template: Template): { Sid?: string; Action: unknown; Resource: unknown }[] {
  return [
    ...Object.values(template.findResources('AWS::IAM::Policy')),
    ...Object.values(template.findResources('AWS::IAM::Role')).flatMap((r) =>
      (r.Properties.Policies ?? []).map((p: unknown) => ({ Properties: p })),
    ),
  ].flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function actions(template: Template): unknown[] {
  return statements(template).flatMap((s) => s.Action);
}

describe('what each kind adds to a deployment', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthNotifier(EVERY_KIND);
  });

  test("grants DescribeServices on the services of the notifier account's clusters only", () => {
    expect(statements(synth.template).find((s) => s.Sid === 'DescribeConfiguredServices')).toMatchObject({
      Action: 'ecs:DescribeServices',
      Resource: [
        'arn:aws:ecs:us-east-1:123456789012:service/batch-a/*',
        'arn:aws:ecs:us-east-1:123456789012:service/batch-b/*',
      ],
    });
  });

  test('grants batch:DescribeJobs, which takes no resource, on *', () => {
    expect(statements(synth.template).find((s) => s.Sid === 'DescribeBatchJobs')).toMatchObject({
      Action: 'batch:DescribeJobs',
      Resource: '*',
    });
  });

  test("gives the other account's reader role DescribeServices on its own cluster's services and DescribeJobs", () => {
    const [forwarder] = synth.forwarders;
    const reader = statements(Template.fromStack(forwarder as never));

    expect(reader).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 'ecs:DescribeServices',
          Resource: 'arn:aws:ecs:us-east-1:210987654321:service/partner/*',
        }),
        expect.objectContaining({ Action: 'batch:DescribeJobs', Resource: '*' }),
      ]),
    );
  });

  test("lets the forwarders put each kind's events on the notifier's bus, and nothing else", () => {
    synth.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Condition: {
          'ForAllValues:StringEquals': { 'events:source': ['aws.ecs', 'aws.batch'] },
          StringEquals: {
            'events:detail-type': [
              'ECS Task State Change',
              'ECS Service Action',
              'ECS Deployment State Change',
              'AWS API Call via CloudTrail',
              'Batch Job State Change',
            ],
          },
        },
      }),
    });
  });

  test('forwards every kind from the other account, with the same rules', () => {
    const [forwarder] = synth.forwarders;
    const ids = Object.keys(Template.fromStack(forwarder as never).findResources('AWS::Events::Rule'));

    for (const kind of [
      'TaskEvents',
      'ServiceEvents',
      'DeploymentEvents',
      'LaunchFailures',
      'BatchJobFailures',
    ])
      expect(ids.some((id) => id.startsWith(kind))).toBe(true);
  });

  test('reports nothing unacknowledged to cdk-nag', () => {
    const findings = nagPacks(synth.app).flatMap((pack) =>
      pack.validateScope(synth.app).violations.map((v) => v.ruleName),
    );

    expect(findings).toEqual([]);
  });

  test('adds none of it for task stops alone', () => {
    const tasks = synthNotifier({ ...EVERY_KIND, events: ['task'] });
    const all = [tasks.template, ...tasks.forwarders.map((f) => Template.fromStack(f as never))].flatMap(
      actions,
    );

    expect(all).not.toContain('ecs:DescribeServices');
    expect(all).not.toContain('batch:DescribeJobs');
  });
});

describe('what synth says about the kinds', () => {
  test('says CloudTrail must log management events for RunTask calls to reach EventBridge', () => {
    const hint = launchHint(parseDeployConfig({ ...TWO_VPCS, events: ['task', 'launch'] }));

    expect(hint).toMatch(
      /^ecsTaskNotifier\.events includes "launch": RunTask calls reach EventBridge only .* CloudTrail trail logs management events/,
    );
    expect(launchHint(parseDeployConfig(TWO_VPCS))).toBeUndefined();
  });

  test('says a Batch job that fails before it gets a task is caught only by its queue', () => {
    const config = { ...TWO_VPCS, events: ['batch'] };

    expect(batchHint(parseDeployConfig(config))).toMatch(/no source lists jobQueues/);
    const queued = {
      ...config,
      sources: [{ ...TWO_VPCS.sources[0], jobQueues: ['arn:aws:batch:us-east-1:123456789012:job-queue/q'] }],
    };
    expect(batchHint(parseDeployConfig(queued))).toBeUndefined();
  });

  test('refuses a job queue in another account or region than its cluster, naming it', () => {
    const config = {
      ...TWO_VPCS,
      sources: [{ ...TWO_VPCS.sources[0], jobQueues: ['arn:aws:batch:eu-west-1:123456789012:job-queue/q'] }],
    };

    expect(() => parseDeployConfig(config)).toThrow(
      "ecsTaskNotifier.sources[0].jobQueues[0]: must be in the cluster's account and region (123456789012, us-east-1)",
    );
  });
});
