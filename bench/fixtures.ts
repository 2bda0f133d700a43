import { type NotifierConfig, parseNotifierConfig } from '../lambda/domain/config/config.js';
import { generateLocalTasks } from '../local/tasks.js';

/** Two clusters in two VPCs, as a deployment would list them (the secret is only for `cdk synth`). */
export const BENCH_CONFIG = {
  sources: [
    {
      label: 'bench (vpc-a)',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/bench-a',
      vpcId: 'vpc-0aaa',
    },
    {
      label: 'bench (vpc-b)',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/bench-b',
      vpcId: 'vpc-0bbb',
    },
  ],
  slackWebhookSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-webhook-AbCdEf',
};

/** What the Lambda reads from `NOTIFIER_CONFIG` in the bench: no secret, so `SLACK_WEBHOOK_URL` is used. */
export const RUNTIME_CONFIG: NotifierConfig = parseNotifierConfig({
  ...BENCH_CONFIG,
  slackWebhookSecretArn: undefined,
});

/** One stopped task: its EventBridge event, its DescribeTasks entry and its task definition. */
export interface BenchTask {
  taskArn: string;
  family: string;
  event: Record<string, unknown>;
  described: Record<string, unknown>;
  /** DescribeTaskDefinition's `taskDefinition` for its revision, as the stack's function reads it. */
  taskDefinition: Record<string, unknown>;
}

const TEMPLATES = generateLocalTasks(RUNTIME_CONFIG).map((task) => ({
  taskId: task.facts.taskId,
  family: task.facts.family,
  event: JSON.stringify(task.event),
  described: JSON.stringify(task.described),
  taskDefinition: JSON.stringify(task.taskDefinition),
}));

/**
 * The `index`th stopped task of a run: the local example tasks (both sources, Fargate and EC2,
 * succeeded and failed) with a task ID of its own (`series` tells runs apart) and the family
 * `<source>-<family>`. `event` and `described` are JSON text.
 */
export function benchTaskJson(
  index: number,
  family: string,
  series = 0,
): { taskId: string; family: string; event: string; described: string; taskDefinition: string } {
  const template = TEMPLATES[index % TEMPLATES.length] as (typeof TEMPLATES)[number];
  const taskId = `${series.toString(16).padStart(4, '0')}${index.toString(16).padStart(28, '0')}`;
  const newFamily = `${template.family}-${family}`;
  const rewrite = (json: string) =>
    json.replaceAll(template.taskId, taskId).replaceAll(template.family, newFamily);
  return {
    taskId,
    family: newFamily,
    event: rewrite(template.event),
    described: rewrite(template.described),
    taskDefinition: rewrite(template.taskDefinition),
  };
}

export function benchTask(index: number, family: string, series = 0): BenchTask {
  const json = benchTaskJson(index, family, series);
  const event = JSON.parse(json.event);
  return {
    taskArn: event.detail.taskArn,
    family: json.family,
    event,
    described: JSON.parse(json.described),
    taskDefinition: JSON.parse(json.taskDefinition),
  };
}

/** Each family's task definition once, for the ECS stand-in's DescribeTaskDefinition. */
export function taskDefinitionsOf(
  tasks: readonly { taskDefinition: Record<string, unknown> }[],
): Record<string, unknown>[] {
  return [
    ...new Map(tasks.map((t) => [String(t.taskDefinition.taskDefinitionArn), t.taskDefinition])).values(),
  ];
}

/** Task stops of distinct families: no digest applies. */
export function distinctTasks(count: number, series: number): BenchTask[] {
  return Array.from({ length: count }, (_, i) => benchTask(i, `job${i}`, series));
}

/** Task stops of `families` families taking turns, each task its own: a steady stream of a few jobs. */
export function recurringTasks(count: number, families: number, series: number): BenchTask[] {
  return Array.from({ length: count }, (_, i) => benchTask(i, `job${i % families}`, series));
}

/** An SQS batch as the Lambda receives it from the queue, one record per event. */
export function sqsBatch(events: readonly unknown[], firstId = 0): Record<string, unknown> {
  return {
    Records: events.map((event, i) => ({
      messageId: `00000000-0000-4000-8000-${(firstId + i).toString(16).padStart(12, '0')}`,
      receiptHandle: `bench-${firstId + i}`,
      body: JSON.stringify(event),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1714528800000',
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1714528800100',
      },
      messageAttributes: {},
      md5OfBody: '0',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:EcsTaskNotifier-EventQueue',
      awsRegion: 'us-east-1',
    })),
  };
}
