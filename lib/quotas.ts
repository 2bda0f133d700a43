/** One of AWS's published limits that a deployment of the notifier can reach, and how AWS counts it. */
export interface Quota {
  /** What the quota is called where AWS publishes it. */
  readonly name: string;
  readonly limit: number;
  /** What `limit` counts: `characters` of JSON, `bytes`, or a plain count (`rules`, `statements`, …). */
  readonly unit: string;
  readonly service: string;
}

/**
 * The quotas `cdk synth` checks, at their defaults (an adjustable one may be raised on request;
 * the notifier fits the defaults, so it never relies on a raise).
 */
export const QUOTAS = {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html ("Event pattern size":
  // 2,048, adjustable, "maximum event pattern size, in characters"; 4,096 at most on request).
  eventPatternSize: {
    name: 'event pattern size',
    limit: 2_048,
    unit: 'characters',
    service: 'EventBridge',
  },
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html ("Rules": 300 per event bus, adjustable).
  rulesPerEventBus: { name: 'rules per event bus', limit: 300, unit: 'rules', service: 'EventBridge' },
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html ("Event bus policy size":
  // 10,240, "maximum policy size, in characters"; the whole bus policy, every statement on it).
  eventBusPolicySize: {
    name: 'event bus policy size',
    limit: 10_240,
    unit: 'characters',
    service: 'EventBridge',
  },
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html ("Role policy size cannot
  // exceed 10,240 characters", the aggregate of a role's inline policies; "IAM does not count white space").
  roleInlinePolicySize: {
    name: 'role inline policies, in aggregate',
    limit: 10_240,
    unit: 'characters',
    service: 'IAM',
  },
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html ("Managed policy size
  // cannot exceed 6,144 characters"; "IAM does not count white space").
  managedPolicySize: { name: 'managed policy size', limit: 6_144, unit: 'characters', service: 'IAM' },
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html ("Managed policies
  // attached to an IAM role": 10 by default, 20 at most).
  managedPoliciesPerRole: {
    name: 'managed policies attached to a role',
    limit: 10,
    unit: 'policies',
    service: 'IAM',
  },
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html
  // (a queue policy: 8,192 bytes, 10 conditions, 50 principals, 20 statements).
  queuePolicySize: { name: 'queue policy size', limit: 8_192, unit: 'bytes', service: 'SQS' },
  queuePolicyStatements: {
    name: 'statements in a queue policy',
    limit: 20,
    unit: 'statements',
    service: 'SQS',
  },
  queuePolicyConditions: {
    name: 'conditions in a queue policy',
    limit: 10,
    unit: 'conditions',
    service: 'SQS',
  },
  queuePolicyPrincipals: {
    name: 'principals in a queue policy',
    limit: 50,
    unit: 'principals',
    service: 'SQS',
  },
  // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html ("Function environment
  // variables: 4 KB", all of them together); Lambda measures their JSON, e.g. its error "exceeded the
  // 4KB limit. String measured: {"KEY":"value",…}" (https://github.com/github-aws-runners/terraform-aws-github-runner/issues/3594).
  lambdaEnvironmentSize: {
    name: 'function environment variables',
    limit: 4_096,
    unit: 'bytes',
    service: 'Lambda',
  },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html ("Template
  // body size in an Amazon S3 object": 1 MB; `cdk deploy` uploads templates through the bootstrap
  // bucket, so the 51,200-byte limit of a template passed in the request does not apply). Read as
  // 1,000,000 bytes, the lower reading, as CDK's own warning does.
  templateSize: { name: 'template body size', limit: 1_000_000, unit: 'bytes', service: 'CloudFormation' },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html ("Resources": 500).
  resourcesPerTemplate: {
    name: 'resources in a template',
    limit: 500,
    unit: 'resources',
    service: 'CloudFormation',
  },
} as const satisfies Record<string, Quota>;

export type QuotaName = keyof typeof QUOTAS;

/** A template passed in the request itself may be 51,200 bytes at most (same page as `templateSize`). */
export const TEMPLATE_BODY_IN_REQUEST_MAX_BYTES = 51_200;

/**
 * An event pattern's size as EventBridge counts it: the characters of its JSON, which CloudFormation
 * writes compact (Jackson's default `ObjectMapper.writeValueAsString` in the AWS::Events::Rule handler,
 * https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-events/blob/master/aws-events-rule/src/main/java/software/amazon/events/rule/Translator.java).
 */
export function eventPatternSize(pattern: unknown): number {
  return JSON.stringify(pattern).length;
}

/** An IAM policy document's size as IAM counts it: its JSON's characters, white space left out. */
export function iamPolicySize(document: unknown): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}

/** An event bus policy's size: the characters of the policy EventBridge keeps, all statements in one. */
export function eventBusPolicySize(statements: readonly unknown[]): number {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }).length;
}

/** The bytes of a JSON value as sent: a queue policy, a function's environment variables. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
