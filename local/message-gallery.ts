import { addMention, mentionText } from '../lambda/domain/delivery/routes.js';
import { buildDigestMessage } from '../lambda/domain/message/digest-message.js';
import { buildSlackMessage, type SlackMessage } from '../lambda/domain/message/slack-message.js';
import { classifyOutcome, taskDurationMs } from '../lambda/domain/report/outcome.js';
import { parseEvent } from '../lambda/domain/report/parse-event.js';
import type { CrossCheck, Source, Task, TaskLogs, TaskReport } from '../lambda/domain/task/task.js';

/** One kind of message, as the gallery shows it and the payload budget test checks it. */
export interface GalleryMessage {
  /** The PNG's name under docs/gallery/. */
  name: string;
  title: string;
  /** The sink hook it is posted to: `/hook/<route>`, or `/hook` for the default route. */
  path: string;
  payload: SlackMessage;
  /** What the first line must say whole, in the header and the notification. */
  firstLine: string[];
}

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const BATCH: Source = { label: 'batch (vpc-b)', configured: true, vpcId: 'vpc-0b2c3d4e5f6a7b8c9' };
const CONFIRMED = (family: string, revision: number): CrossCheck => ({
  status: 'confirmed',
  described: { family, revision },
});

interface StopSpec {
  n: number;
  family: string;
  revision?: number;
  cluster?: string;
  stopCode?: string;
  stoppedReason?: string;
  containers?: Record<string, unknown>[];
  /** Minutes after 07:00 UTC that the task stopped; it ran `ranMinutes` before. */
  stoppedMinute?: number;
  ranMinutes?: number;
  extra?: Record<string, unknown>;
}

/** A STOPPED event as ECS sends it, read by the notifier's own parser. */
function stoppedTask(spec: StopSpec): Task {
  const cluster = spec.cluster ?? 'batch-b';
  const id = (0x9a8b7c6d + spec.n).toString(16).padEnd(32, '0');
  const stopped = Date.UTC(2024, 10, 5, 7, 0, 0) + (spec.stoppedMinute ?? 15) * 60_000 + spec.n * 1000;
  const started = stopped - (spec.ranMinutes ?? 15) * 60_000;
  const start = spec.ranMinutes === 0 ? {} : { startedAt: new Date(started).toISOString() };
  const taskArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${cluster}/${id}`;
  const parsed = parseEvent({
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    detail: {
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
      taskArn,
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${spec.family}:${spec.revision ?? 7}`,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      launchType: 'FARGATE',
      availabilityZone: `${REGION}b`,
      cpu: '1024',
      memory: '2048',
      group: `family:${spec.family}`,
      startedBy: 'airflow',
      createdAt: new Date(started - 3000).toISOString(),
      ...start,
      stoppedAt: new Date(stopped).toISOString(),
      stopCode: spec.stopCode ?? 'EssentialContainerExited',
      stoppedReason: spec.stoppedReason ?? 'Essential container in task exited',
      containers: (spec.containers ?? [{ name: 'main', exitCode: 0 }]).map((c) => ({
        lastStatus: 'STOPPED',
        taskArn,
        ...c,
      })),
      ...spec.extra,
    },
  });
  if (parsed.kind !== 'task')
    throw new Error(`gallery event ${spec.family}: ${'reason' in parsed ? parsed.reason : parsed.kind}`);
  return parsed.task;
}

export function report(task: Task, extra: Partial<TaskReport> = {}): TaskReport {
  return {
    kind: 'task',
    task,
    source: BATCH,
    outcome: classifyOutcome(task),
    crossCheck: CONFIRMED(task.family, task.revision ?? 0),
    durationMs: taskDurationMs(task),
    ...extra,
  };
}

const OOM = 'OutOfMemoryError: Container killed due to memory usage';
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/customer-import:2024-11-04`;

export const importFailed = (n: number, extra: Partial<StopSpec> = {}) =>
  stoppedTask({
    n,
    family: 'customer-import',
    containers: [
      {
        name: 'import',
        exitCode: 137,
        reason: OOM,
        image: IMAGE,
        imageDigest: `sha256:${'5e7d'.repeat(16)}`,
      },
      {
        name: 'log-router',
        exitCode: 0,
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0',
      },
    ],
    ...extra,
  });

export const logs = (task: Task): TaskLogs => ({
  containers: [
    {
      container: 'import',
      driver: 'awslogs',
      stream: {
        group: '/ecs/customer-import',
        stream: `ecs/import/${task.taskId}`,
        region: REGION,
        partition: 'aws',
      },
    },
    { container: 'log-router', driver: 'awsfirelens' },
  ],
  tail: {
    status: 'shown',
    container: 'import',
    lines: [
      '07:14:51 INFO  reading s3://imports/customers-2024-11-05.csv (2.1 GB)',
      '07:14:58 INFO  parsed 4,000,000 rows',
      '07:15:02 INFO  building index in memory',
      '07:15:07 WARN  heap at 1.9 GiB of 2 GiB',
      'Killed',
    ],
    omitted: 212,
    more: false,
  },
});

/** The storm: 70 stops over nearly five hours, one family failing two ways, another fine. */
export function storm(): TaskReport[] {
  const reports: TaskReport[] = [];
  for (let n = 0; n < 70; n++) {
    const minute = Math.round((n * 283) / 69) - 15;
    if (n % 7 === 3)
      reports.push(
        report(
          stoppedTask({
            n,
            family: 'customer-import',
            cluster: n % 2 ? 'batch-b' : 'batch-c',
            stoppedMinute: minute,
            stopCode: 'TaskFailedToStart',
            stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${IMAGE}: ${IMAGE}: not found`,
            containers: [{ name: 'import', exitCode: null }],
          }),
        ),
      );
    else if (n % 5 === 0)
      reports.push(report(importFailed(n, { stoppedMinute: minute, cluster: 'batch-b' })));
    else
      reports.push(report(stoppedTask({ n, family: 'nightly-report', revision: 42, stoppedMinute: minute })));
  }
  return reports;
}

/** Every kind of message the notifier sends, from events shaped as ECS sends them. */
export function galleryMessages(): GalleryMessage[] {
  const oom = importFailed(0);
  const failedToStart = stoppedTask({
    n: 1,
    family: 'customer-import',
    stopCode: 'TaskFailedToStart',
    stoppedReason: `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${IMAGE}: not found`,
    containers: [{ name: 'import', exitCode: null, image: IMAGE }],
    ranMinutes: 0,
  });
  const spot = stoppedTask({
    n: 2,
    family: 'render-tiles',
    revision: 12,
    stopCode: 'TerminationNotice',
    stoppedReason: 'Your Spot Task was interrupted.',
    containers: [{ name: 'render', exitCode: 143 }],
    extra: { capacityProviderName: 'FARGATE_SPOT' },
  });
  const success = stoppedTask({ n: 3, family: 'nightly-report', revision: 42, ranMinutes: 4 });
  const failedOne = stoppedTask({
    n: 4,
    family: 'invoice-export',
    revision: 3,
    containers: [{ name: 'export', exitCode: 1 }],
  });
  const oncall = mentionText({ onOutcomes: ['failed'], users: [], groups: ['S0614TZR7'], here: false }, [
    'failed',
  ]);
  return [
    {
      name: 'failed-with-tail',
      title: 'A failed task: the cause first, then the log tail',
      path: '/hook',
      payload: buildSlackMessage({ ...report(oom), logs: logs(oom) }),
      firstLine: ['failed', 'customer-import:7', 'batch (vpc-b)', 'import out of memory (exit 137)'],
    },
    {
      name: 'failed-to-start',
      title: 'A task that could not start',
      path: '/hook',
      payload: buildSlackMessage(report(failedToStart)),
      firstLine: [
        'failed',
        'customer-import:7',
        'batch (vpc-b)',
        'could not start: CannotPullContainerError',
      ],
    },
    {
      name: 'mismatch',
      title: 'The event and DescribeTasks disagree',
      path: '/hook',
      payload: buildSlackMessage(
        report(failedOne, {
          crossCheck: { status: 'mismatch', described: { family: 'invoice-export', revision: 4 } },
        }),
      ),
      firstLine: ['failed', 'invoice-export:3', 'batch (vpc-b)', 'export exited with an error (exit 1)'],
    },
    {
      name: 'source-uncertain',
      title: 'Which VPC could not be told',
      path: '/hook',
      payload: buildSlackMessage(
        report(failedOne, {
          source: {
            label: `batch-b (${ACCOUNT}, ${REGION})`,
            configured: true,
            note: 'could not tell which source: EC2 DescribeSubnets failed: AccessDenied (HTTP 403)',
          },
        }),
      ),
      firstLine: ['failed', 'invoice-export:3', 'batch-b', 'export exited with an error (exit 1)'],
    },
    {
      name: 'success',
      title: 'A success: one quiet line',
      path: '/hook',
      payload: buildSlackMessage(report(success)),
      firstLine: ['succeeded', 'nightly-report:42', 'batch (vpc-b)', '4m 00s'],
    },
    {
      name: 'spot',
      title: 'A Spot interruption',
      path: '/hook',
      payload: buildSlackMessage(report(spot)),
      firstLine: ['stopped', 'render-tiles:12', 'batch (vpc-b)', 'Spot interruption'],
    },
    {
      name: 'digest',
      title: 'A digest of a storm of 70 task stops',
      path: '/hook',
      payload: buildDigestMessage(storm()),
      firstLine: ['customer-import:7', '22 failed', '48 succeeded', '70 tasks', 'batch (vpc-b)', '4h 44m'],
    },
    {
      name: 'routed-mention',
      title: 'Routed to #oncall, pinging a user group',
      path: '/hook/oncall',
      payload: addMention(buildSlackMessage(report(failedOne)), oncall),
      firstLine: ['failed', 'invoice-export:3', 'batch (vpc-b)', 'export exited with an error (exit 1)'],
    },
  ];
}
