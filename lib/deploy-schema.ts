import * as z from 'zod/mini';
import {
  ACCOUNT,
  checkRoutes,
  type NotifierConfig,
  RUNTIME_CONFIG_SHAPE,
} from '../lambda/domain/config/config.js';
import { parseWith } from '../lambda/domain/config/validation.js';
import { REGION } from '../lambda/domain/task/arn.js';

/**
 * What only a deployment reads: the stack's place, the event source, alarms and log retention.
 * The Lambda never sees these (the stack ships the run-time keys alone).
 */
export const DEPLOY_ONLY_SHAPE = {
  /** An SNS topic ARN for the alarms. */
  alarmTopicArn: z.optional(
    z.string().check(z.regex(/^arn:aws[a-z-]*:sns:[^:]+:\d{12}:.+$/, 'expected an SNS topic ARN')),
  ),
  /** Lambda event source mapping's maximum concurrency (synth also checks its pace fits the timeout). */
  maxConcurrency: z._default(z.number().check(z.int(), z.minimum(2), z.maximum(1000)), 2),
  /**
   * Most task events per Lambda invocation: a storm of stops arrives in few invocations, so it
   * becomes few digests. SQS allows up to 10,000 with a batching window.
   */
  batchSize: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 1000),
  /** Seconds the event source gathers events before invoking: a lone stop waits this long, a storm fills batches within it. */
  batchWindowSeconds: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(300)), 5),
  /** Days to keep the Lambda's logs. */
  logRetentionDays: z._default(z.number().check(z.int(), z.minimum(1)), 30),
  /** The notifier stack's account; with `region`, pins the stack and enables forwarders. */
  account: z.optional(z.string().check(z.regex(ACCOUNT, 'expected a 12-digit AWS account ID'))),
  /** The notifier stack's region; without both, the stack is environment-agnostic. */
  region: z.optional(z.string().check(z.regex(REGION, 'expected an AWS region like "us-east-1"'))),
  /** Subscribed to every alarm topic the app creates (the notifier's, when no `alarmTopicArn`, and each forwarder's). */
  alarmEmail: z.optional(
    z
      .string()
      .check(z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'expected an e-mail address like "ops@example.com"')),
  ),
  /**
   * The AWS Organizations ID of the clusters' accounts: the notifier's bus then lets the
   * organization's accounts in with one statement (`aws:PrincipalOrgID`) instead of naming each.
   */
  organizationId: z.optional(
    z.string().check(z.regex(/^o-[a-z0-9]{10,32}$/, 'expected an AWS Organizations ID like "o-a1b2c3d4e5"')),
  ),
};

/** `cdk.json`'s `ecsTaskNotifier`: the run-time keys and the deploy-only ones. */
export const DeploySchema = z
  .strictObject({ ...RUNTIME_CONFIG_SHAPE, ...DEPLOY_ONLY_SHAPE })
  .check(checkRoutes);

/** A deployment's whole configuration, as validated (no deploy check yet: see `parseDeployConfig`). */
export type FullConfig = z.output<typeof DeploySchema>;

/** Reads a whole configuration, throwing a ValidationError naming the key under `root`. */
export function parseFullConfig(input: unknown, root = ''): FullConfig {
  return parseWith(DeploySchema, input, root);
}

/** The keys the notifier reads at run time: what the stack ships to the function. */
export function runtimeConfigOf(config: FullConfig): NotifierConfig {
  return Object.fromEntries(
    Object.keys(RUNTIME_CONFIG_SHAPE).flatMap((key) =>
      key in config ? [[key, config[key as keyof FullConfig]]] : [],
    ),
  ) as NotifierConfig;
}
