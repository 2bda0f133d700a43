import type { Task as EcsTask } from '@aws-sdk/client-ecs';
import { describe, expect, test } from 'vitest';
import { stoppedTaskEvent } from '../../e2e/stopped-event.js';
import { classifyOutcome } from '../../lambda/domain/report/outcome.js';
import { parseEvent } from '../../lambda/domain/report/parse-event.js';

const TASK_ARN = 'arn:aws:ecs:us-east-1:123456789012:task/e2e-jobs/2835a052-16e9-4e8a-b16c-0f713eac3dd2';

/** A stopped task as moto's DescribeTasks gives it: no timestamps, the container still PENDING, exit code 0. */
const DESCRIBED: EcsTask = {
  attachments: [],
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/e2e-jobs',
  containerInstanceArn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/e2e-jobs/ec0154d0',
  containers: [{ name: 'main', image: 'busybox', lastStatus: 'PENDING', exitCode: 0 }],
  desiredStatus: 'STOPPED',
  group: 'family:e2e-report',
  lastStatus: 'STOPPED',
  launchType: 'EC2',
  stoppedReason: 'Essential container in task exited',
  taskArn: TASK_ARN,
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/e2e-report:2',
};

const STOPPED_AT = new Date('2026-03-04T05:06:07.000Z');

describe('the STOPPED event built from DescribeTasks', () => {
  test('is an ECS task state change the handler reads as the failed stop it describes', () => {
    const entry = stoppedTaskEvent(DESCRIBED, { exitCode: 3, stoppedAt: STOPPED_AT, subnetId: 'subnet-0a1' });

    expect(entry).toMatchObject({
      Source: 'aws.ecs',
      DetailType: 'ECS Task State Change',
      Resources: [TASK_ARN],
    });
    const parsed = parseEvent({
      'detail-type': entry.DetailType,
      source: entry.Source,
      detail: JSON.parse(entry.Detail ?? ''),
    });
    if (parsed.kind !== 'task') throw new Error(`not read as a task: ${JSON.stringify(parsed)}`);
    expect(parsed.task).toMatchObject({
      taskArn: TASK_ARN,
      family: 'e2e-report',
      revision: 2,
      lastStatus: 'STOPPED',
      subnetId: 'subnet-0a1',
      stopCode: 'EssentialContainerExited',
      stoppedAt: STOPPED_AT,
      containers: [{ name: 'main', exitCode: 3, lastStatus: 'STOPPED' }],
    });
    expect(classifyOutcome(parsed.task)).toBe('failed');
  });

  test('runs for the given time before it stopped', () => {
    const detail = JSON.parse(
      stoppedTaskEvent(DESCRIBED, { exitCode: 0, stoppedAt: STOPPED_AT, ranMs: 90_000 }).Detail ?? '',
    );

    expect([detail.startedAt, detail.stoppedAt]).toEqual([
      '2026-03-04T05:04:37.000Z',
      '2026-03-04T05:06:07.000Z',
    ]);
  });

  test('carries no ENI attachment for a task without a subnet', () => {
    const detail = JSON.parse(
      stoppedTaskEvent(DESCRIBED, { exitCode: 0, stoppedAt: STOPPED_AT }).Detail ?? '',
    );

    expect(detail.attachments).toEqual([]);
  });

  test('refuses a task without its ARNs', () => {
    const { taskArn: _, ...withoutArn } = DESCRIBED;

    expect(() => stoppedTaskEvent(withoutArn, { exitCode: 0, stoppedAt: STOPPED_AT })).toThrow(/taskArn/);
  });
});
