import * as z from 'zod/mini';
import { parseClusterArn } from './arn.js';
import { OUTCOMES, TASK_STATUSES } from './task.js';
import { parseWith } from './validation.js';

const clusterArn = z.string().check(
  z.refine((value) => {
    try {
      parseClusterArn(value);
      return true;
    } catch {
      return false;
    }
  }, 'expected an ECS cluster ARN'),
);

const SourceSchema = z.strictObject({
  /** Shown on every message: which batch, which VPC. */
  label: z
    .string()
    .check(z.minLength(1, 'must not be empty'), z.maxLength(80, 'must be at most 80 characters')),
  clusterArn,
  vpcId: z.optional(
    z.string().check(z.regex(/^vpc-[0-9a-f]{1,17}$/, 'expected a VPC ID like "vpc-0abc1234"')),
  ),
  subnetIds: z.optional(
    z
      .array(
        z.string().check(z.regex(/^subnet-[0-9a-f]{1,17}$/, 'expected a subnet ID like "subnet-0abc1234"')),
      )
      .check(z.minLength(1, 'must list at least one subnet')),
  ),
});

/**
 * The one configuration schema: Lambda environment, `cdk.json` context and `replay --config`.
 * Keys that only a deployment needs are optional here; `parseDeployConfig` (lib/) requires them.
 */
export const NotifierConfigSchema = z.strictObject({
  sources: z._default(z.array(SourceSchema), []),
  notifyOn: z._default(
    z.array(z.enum(TASK_STATUSES)).check(z.minLength(1, 'must list at least one status')),
    ['STOPPED'],
  ),
  /** Tasks whose `group` starts with one of these are not notified (e.g. `service:`). */
  ignoreGroups: z._default(z.array(z.string().check(z.minLength(1, 'must not be empty'))), []),
  /** Only these outcomes are notified; all of them by default. */
  outcomes: z._default(z.array(z.enum(OUTCOMES)).check(z.minLength(1, 'must list at least one outcome')), [
    ...OUTCOMES,
  ]),
  /** More than this many stops of one source and family in a batch become one digest message. */
  digestThreshold: z._default(z.number().check(z.int(), z.minimum(1)), 5),
  slackWebhookSecretArn: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^arn:aws[a-z-]*:secretsmanager:[^:]+:[^:]+:secret:.+$/,
          'expected a Secrets Manager secret ARN',
        ),
      ),
  ),
  /** An SNS topic ARN for the alarms (deployment only). */
  alarmTopicArn: z.optional(
    z.string().check(z.regex(/^arn:aws[a-z-]*:sns:[^:]+:\d{12}:.+$/, 'expected an SNS topic ARN')),
  ),
  /** Lambda event source mapping's maximum concurrency (deployment only, 2 to 1000). */
  maxConcurrency: z._default(z.number().check(z.int(), z.minimum(2), z.maximum(1000)), 2),
  /** Days to keep the Lambda's logs (deployment only). */
  logRetentionDays: z._default(z.number().check(z.int(), z.minimum(1)), 30),
  /** The notifier stack's account (deployment only); with `region`, pins the stack and enables forwarders. */
  account: z.optional(z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit AWS account ID'))),
  /** The notifier stack's region (deployment only); without both, the stack is environment-agnostic. */
  region: z.optional(
    z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like "us-east-1"')),
  ),
});

export type NotifierConfig = z.output<typeof NotifierConfigSchema>;
export type SourceConfig = NotifierConfig['sources'][number];

/** Reads configuration, throwing a ValidationError whose message names the key under `root`. */
export function parseNotifierConfig(input: unknown, root = ''): NotifierConfig {
  return parseWith(NotifierConfigSchema, input, root);
}

/** The embedded default: no sources configured, STOPPED tasks only. */
export const DEFAULT_CONFIG: NotifierConfig = parseNotifierConfig({});
