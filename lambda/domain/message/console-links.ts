import type { LogStreamRef, Task } from '../task/task.js';
import { wellFormed } from './slack-text.js';

/** The ECS console's host for a partition: China and GovCloud have their own. */
export function consoleHost(partition: string, region: string): string {
  if (partition === 'aws-cn') return 'https://console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  return `https://${encode(region)}.console.aws.amazon.com`;
}

/** The task's page in the ECS console (v2). */
export function taskConsoleUrl(task: Pick<Task, 'partition' | 'region' | 'clusterName' | 'taskId'>): string {
  const path = `/ecs/v2/clusters/${encode(task.clusterName)}/tasks/${encode(task.taskId)}/configuration`;
  return `${consoleHost(task.partition, task.region)}${path}?region=${encode(task.region)}`;
}

/** The task definition revision's page, or the family's list when the revision is unknown. */
export function taskDefinitionConsoleUrl(
  task: Pick<Task, 'partition' | 'region' | 'family' | 'revision'>,
): string {
  const family = encode(task.family);
  const path =
    task.revision === null
      ? `/ecs/v2/task-definitions/${family}`
      : `/ecs/v2/task-definitions/${family}/${task.revision}/containers`;
  return `${consoleHost(task.partition, task.region)}${path}?region=${encode(task.region)}`;
}

/** The cluster's tasks in the ECS console (choose "Stopped" there to see the stopped ones). */
export function clusterTasksConsoleUrl(task: Pick<Task, 'partition' | 'region' | 'clusterName'>): string {
  const path = `/ecs/v2/clusters/${encode(task.clusterName)}/tasks`;
  return `${consoleHost(task.partition, task.region)}${path}?region=${encode(task.region)}`;
}

/** A service's page in the ECS console (v2): its health, or its deployments. */
export function serviceConsoleUrl(
  service: { partition: string; region: string; clusterName: string; serviceName: string },
  tab: 'health' | 'deployments' = 'health',
): string {
  const path = `/ecs/v2/clusters/${encode(service.clusterName)}/services/${encode(service.serviceName)}/${tab}`;
  return `${consoleHost(service.partition, service.region)}${path}?region=${encode(service.region)}`;
}

/** A Batch job's page in the Batch console. */
export function batchJobConsoleUrl(job: { partition: string; region: string; jobId: string }): string {
  return `${consoleHost(job.partition, job.region)}/batch/home?region=${encode(job.region)}#jobs/detail/${encode(job.jobId)}`;
}

/** The jobs of a region in the Batch console (choose the queue and "Failed" there). */
export function batchJobsConsoleUrl(place: { partition: string; region: string }): string {
  return `${consoleHost(place.partition, place.region)}/batch/home?region=${encode(place.region)}#jobs`;
}

/** One API call in CloudTrail's event history (the last 90 days). */
export function cloudTrailEventConsoleUrl(call: {
  partition: string;
  region: string;
  eventId: string;
}): string {
  return `${consoleHost(call.partition, call.region)}/cloudtrail/home?region=${encode(call.region)}#/events/${encode(call.eventId)}`;
}

/**
 * `encodeURIComponent` of the text made well-formed first: half a surrogate pair (which no name
 * of AWS's holds, but an odd event may) becomes U+FFFD instead of a `URIError`.
 */
function encode(text: string): string {
  return encodeURIComponent(wellFormed(text));
}

/** {@link encode}, and the five characters it leaves as they are (`!'()*`) too. */
function encodeEvery(text: string): string {
  return encode(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A name as the CloudWatch console reads it in its `#logsV2:` fragment: percent-encoded twice,
 * then each `%` written `$` (`/ecs/app` → `$252Fecs$252Fapp`).
 */
export function consoleFragmentName(name: string): string {
  return encodeEvery(encodeEvery(name)).replaceAll('%', '$');
}

/** A log stream's events in the CloudWatch console, on its region's partition's host. */
export function logStreamConsoleUrl(ref: LogStreamRef): string {
  const fragment = `#logsV2:log-groups/log-group/${consoleFragmentName(ref.group)}/log-events/${consoleFragmentName(ref.stream)}`;
  return `${consoleHost(ref.partition, ref.region)}/cloudwatch/home?region=${encode(ref.region)}${fragment}`;
}
