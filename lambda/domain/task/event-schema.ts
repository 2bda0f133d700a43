import * as z from 'zod/mini';

/**
 * Only the fields the notifier reads; everything else is allowed and ignored. Events and
 * DescribeTasks share these field names, so one schema reads both (timestamps as ISO strings,
 * epoch seconds or the SDK's `Date`s; attachments typed `eni` or `ElasticNetworkInterface`).
 */
const text = z.string().check(z.minLength(1, 'must not be empty'));
const timestamp = z.optional(z.nullable(z.union([z.string(), z.number(), z.date()])));
const optionalText = z.optional(z.nullable(z.string()));

const container = z.object({
  name: text,
  lastStatus: optionalText,
  exitCode: z.optional(z.nullable(z.number().check(z.int()))),
  reason: optionalText,
  image: optionalText,
  imageDigest: optionalText,
  runtimeId: optionalText,
});

const attachment = z.object({
  type: optionalText,
  details: z.optional(z.array(z.object({ name: optionalText, value: z.optional(z.unknown()) }))),
});

export const TaskDetailSchema = z.object({
  taskArn: text,
  clusterArn: text,
  taskDefinitionArn: text,
  lastStatus: text,
  desiredStatus: optionalText,
  launchType: optionalText,
  capacityProviderName: optionalText,
  availabilityZone: optionalText,
  stopCode: optionalText,
  stoppedReason: optionalText,
  startedBy: optionalText,
  group: optionalText,
  cpu: optionalText,
  memory: optionalText,
  containers: z.optional(z.array(container)),
  attachments: z.optional(z.array(attachment)),
  createdAt: timestamp,
  startedAt: timestamp,
  stoppingAt: timestamp,
  stoppedAt: timestamp,
  version: z.optional(z.number()),
  tags: z.optional(z.array(z.object({ key: optionalText, value: optionalText }))),
});

export type TaskDetail = z.output<typeof TaskDetailSchema>;

/** The EventBridge envelope; `detail` is checked only once we know it is a task event. */
export const EnvelopeSchema = z.object({
  'detail-type': text,
  source: z.optional(z.string()),
  detail: z.unknown(),
});

export const TASK_STATE_CHANGE = 'ECS Task State Change';
