import { TASK_STATE_CHANGE } from '../../lambda/domain/task/event-schema.js';

/** What varies between the generated task state change events. */
export interface TaskEventShape {
  readonly clusterArn: string;
  readonly lastStatus: string;
  readonly group?: string;
  /** The task's ENI subnet; none: an EC2 task without an awsvpc ENI. */
  readonly subnetId?: string;
  readonly source?: string;
  readonly detailType?: string;
}

/** An `ECS Task State Change` event as EventBridge delivers it, in the shape of ECS's own. */
export function taskStateChange(shape: TaskEventShape, n: number): Record<string, unknown> {
  const [, , , region, account, resource] = shape.clusterArn.split(':');
  const cluster = resource?.replace(/^cluster\//, '');
  const taskArn = `arn:aws:ecs:${region}:${account}:task/${cluster}/${n.toString(16).padStart(32, '0')}`;
  return {
    version: '0',
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    'detail-type': shape.detailType ?? TASK_STATE_CHANGE,
    source: shape.source ?? 'aws.ecs',
    account,
    time: '2024-05-01T12:00:00Z',
    region,
    resources: [taskArn],
    detail: {
      clusterArn: shape.clusterArn,
      taskArn,
      lastStatus: shape.lastStatus,
      desiredStatus: 'STOPPED',
      ...(shape.group === undefined ? {} : { group: shape.group }),
      ...(shape.subnetId === undefined
        ? {}
        : {
            attachments: [
              {
                id: `${n.toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-000000000000`,
                type: 'eni',
                status: 'DELETED',
                details: [
                  { name: 'subnetId', value: shape.subnetId },
                  { name: 'networkInterfaceId', value: `eni-0${n.toString(16).padStart(16, '0')}` },
                  { name: 'privateIPv4Address', value: '10.0.1.5' },
                ],
              },
            ],
          }),
      containers: [{ name: 'app', lastStatus: 'STOPPED', exitCode: 1, taskArn }],
    },
  };
}
