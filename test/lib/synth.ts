import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import {
  CONTEXT_KEY,
  type DeployConfig,
  DeployConfigError,
  parseDeployConfig,
} from '../../lib/deploy-config.js';
import { addNotifierStacks, type NotifierStacks } from '../../lib/notifier-app.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

/** The example configuration committed in `cdk.json`. */
export function committedConfig(): DeployConfig {
  return parseDeployConfig(cdkJsonContext()[CONTEXT_KEY]);
}

/** The feature flags and settings `cdk.json` gives every `cdk synth`: tests synthesize what deploys. */
export function committedFeatureFlags(): Record<string, unknown> {
  const { [CONTEXT_KEY]: _, ...flags } = cdkJsonContext();
  return flags;
}

export interface Synthesized extends NotifierStacks {
  readonly app: App;
  readonly template: Template;
}

/**
 * Builds the app as `bin/app.ts` does and synthesizes it (cdk-nag included: a finding throws).
 * Bundling the Lambda takes seconds, so it is skipped unless `bundle` is set.
 */
export function synthNotifier(config: unknown, { bundle = false } = {}): Synthesized {
  const app = new App({
    outdir: mkdtempSync(path.join(tmpdir(), 'ecs-task-notifier-cdk-')),
    context: { ...committedFeatureFlags(), ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    // CloudFormation schema checks take seconds; `cdk synth` (test/lib/app.test.ts) still runs them.
    builtinCloudFormationValidation: false,
  });
  const stacks = addNotifierStacks(app, parseDeployConfig(config));
  return { app, ...stacks, template: Template.fromStack(stacks.notifier) };
}

/** Two clusters in two VPCs of one account, told apart by subnets. */
export const TWO_VPCS = {
  sources: [
    {
      label: 'batch-a',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-a',
      vpcId: 'vpc-0aaa',
      subnetIds: ['subnet-0a1', 'subnet-0a2'],
    },
    {
      label: 'batch-b',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-b',
      vpcId: 'vpc-0bbb',
      subnetIds: ['subnet-0b1'],
    },
  ],
  notifyOn: ['STOPPED'],
  ignoreGroups: ['service:'],
  slackWebhookSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-webhook-AbCdEf',
};

/** The logical ID of the one resource of `type` with these properties (the test fails unless there is one). */
export function logicalIdOf(template: Template, type: string, props: object): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0] as string;
}

/** The one-line message of the {@link DeployConfigError} `action` throws (any other outcome fails the test). */
export function problemOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof DeployConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a DeployConfigError');
}
