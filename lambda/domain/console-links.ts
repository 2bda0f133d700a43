import type { Task } from './task.js';

/** The ECS console's host for a partition: China and GovCloud have their own. */
export function consoleHost(partition: string, region: string): string {
  if (partition === 'aws-cn') return 'https://console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  return `https://${encodeURIComponent(region)}.console.aws.amazon.com`;
}

/** The task's page in the ECS console (v2). */
export function taskConsoleUrl(task: Task): string {
  const path = `/ecs/v2/clusters/${encodeURIComponent(task.clusterName)}/tasks/${encodeURIComponent(task.taskId)}/configuration`;
  return `${consoleHost(task.partition, task.region)}${path}?region=${encodeURIComponent(task.region)}`;
}

/** The task definition revision's page, or the family's list when the revision is unknown. */
export function taskDefinitionConsoleUrl(task: Task): string {
  const family = encodeURIComponent(task.family);
  const path =
    task.revision === null
      ? `/ecs/v2/task-definitions/${family}`
      : `/ecs/v2/task-definitions/${family}/${task.revision}/containers`;
  return `${consoleHost(task.partition, task.region)}${path}?region=${encodeURIComponent(task.region)}`;
}

/** The cluster's tasks in the ECS console (choose "Stopped" there to see the stopped ones). */
export function clusterTasksConsoleUrl(task: Pick<Task, 'partition' | 'region' | 'clusterName'>): string {
  const path = `/ecs/v2/clusters/${encodeURIComponent(task.clusterName)}/tasks`;
  return `${consoleHost(task.partition, task.region)}${path}?region=${encodeURIComponent(task.region)}`;
}
