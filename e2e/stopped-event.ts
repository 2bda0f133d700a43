import { randomUUID } from 'node:crypto';
import type { Task } from '@aws-sdk/client-ecs';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { TASK_STATE_CHANGE } from '../lambda/domain/task/event-schema.js';

/** What ECS would have said about a task's stop that moto's DescribeTasks does not. */
export interface StopFacts {
  /** The essential container's exit code. */
  exitCode: number;
  /** The subnet of the task's ENI (awsvpc), when it had one. */
  subnetId?: string;
  stoppedAt: Date;
  /** How long the task ran. @default 60_000 */
  ranMs?: number;
}

/**
 * The `ECS Task State Change` event of a stopped task, as `put_events` takes it, built from
 * DescribeTasks' answer: moto's ECS emits no events, leaves out the timestamps and gives every
 * container exit code 0. An awsvpc task's ENI attachment is added when `subnetId` is given (moto
 * cannot run an awsvpc task: its RunTask fails building the ENI).
 */
export function stoppedTaskEvent(task: Task, facts: StopFacts): PutEventsRequestEntry {
  const { taskArn, clusterArn, taskDefinitionArn } = task;
  if (!taskArn || !clusterArn || !taskDefinitionArn)
    throw new Error('DescribeTasks gave a task without taskArn, clusterArn or taskDefinitionArn');
  const stoppedAt = facts.stoppedAt.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const startedAt = stoppedAt - (facts.ranMs ?? 60_000);
  const detail = {
    attachments: facts.subnetId ? [eniAttachment(facts.subnetId)] : [],
    availabilityZone: `${regionOf(taskArn)}a`,
    clusterArn,
    ...(task.containerInstanceArn ? { containerInstanceArn: task.containerInstanceArn } : {}),
    containers: (task.containers ?? []).map((container) => ({
      containerArn: container.containerArn,
      exitCode: facts.exitCode,
      lastStatus: 'STOPPED',
      name: container.name,
      image: container.image,
      taskArn,
      networkInterfaces: [],
    })),
    createdAt: iso(startedAt - 3000),
    desiredStatus: 'STOPPED',
    ...(task.group ? { group: task.group } : {}),
    launchType: task.launchType ?? 'EC2',
    lastStatus: 'STOPPED',
    startedAt: iso(startedAt),
    stopCode: 'EssentialContainerExited',
    stoppingAt: iso(stoppedAt - 1000),
    stoppedAt: iso(stoppedAt),
    stoppedReason: task.stoppedReason ?? 'Essential container in task exited',
    taskArn,
    taskDefinitionArn,
    version: 5,
  };
  return {
    Source: 'aws.ecs',
    DetailType: TASK_STATE_CHANGE,
    Resources: [taskArn],
    Detail: JSON.stringify(detail),
  };
}

function eniAttachment(subnetId: string) {
  return {
    id: randomUUID(),
    type: 'eni',
    status: 'DELETED',
    details: [
      { name: 'subnetId', value: subnetId },
      { name: 'networkInterfaceId', value: `eni-${randomUUID().replaceAll('-', '').slice(0, 17)}` },
    ],
  };
}

function regionOf(arn: string): string {
  return arn.split(':')[3] ?? 'us-east-1';
}
