import { batchCause } from '../batch/batch-report.js';
import { deploymentCause } from '../deployment/deployment-report.js';
import { launchCause } from '../launch/launch-report.js';
import type { Report } from '../report/report.js';
import { serviceCause } from '../service/service-report.js';
import { formatTaskDefinition } from '../task/arn.js';
import type { Task } from '../task/task.js';
import {
  batchJobConsoleUrl,
  batchJobsConsoleUrl,
  cloudTrailEventConsoleUrl,
  clusterTasksConsoleUrl,
  consoleHost,
  serviceConsoleUrl,
} from './console-links.js';
import { type Cause, causeLine, causeOf } from './failure-causes.js';
import { taskLink } from './slack-message.js';
import { SLACK_LIMITS, slackLink } from './slack-text.js';

/** How a digest shows one report of any kind: its name, its cause, its link and its list page. */
export interface ReportView {
  /** What names the job in a digest's lines: `customer-import:7`, `web (service)`, `job import`. */
  name: string;
  /** The cause in one line, cut at `max`; `undefined` when the event says nothing. */
  cause(max: number): string | undefined;
  /** Our mrkdwn link to the report's own page, labelled by a short ID; `undefined` when none fits. */
  link(): string | undefined;
  /** The console page listing its kind in its place (a cluster's tasks), for "and N more". */
  list?: ListPage;
  /** When it happened: a task's stop, a service event's time. */
  at?: Date;
}

/** A console list page: its URL, the name that labels it (a cluster's), and what it lists where. */
export interface ListPage {
  /** The same for every report listed on the page. */
  key: string;
  name: string;
  url: string;
  what: 'Tasks' | 'Services' | 'Jobs';
  console: 'ECS' | 'Batch';
}

/** The view of a report, whatever its kind. */
export function viewOf(report: Report): ReportView {
  switch (report.kind) {
    case 'task':
      return taskView(report.task, () => causeOf(report));
    case 'service': {
      const { service, time } = report.action;
      return {
        name: `${service.serviceName} (service)`,
        cause: line(() => serviceCause(report)),
        link: () => fitted(serviceConsoleUrl(service), label(service.serviceName, 'service')),
        list: servicesPage(service),
        ...(time ? { at: time } : {}),
      };
    }
    case 'deployment': {
      const { service, deploymentId, time } = report.change;
      return {
        name: `${service.serviceName} (deployment)`,
        cause: line(() => deploymentCause(report)),
        link: () =>
          fitted(
            serviceConsoleUrl(service, 'deployments'),
            label(deploymentId.split('/').pop() ?? '', 'deployment'),
          ),
        list: servicesPage(service),
        ...(time ? { at: time } : {}),
      };
    }
    case 'launch': {
      const { launch } = report;
      return {
        name: launch.revision === null ? launch.family : formatTaskDefinition(launch.family, launch.revision),
        cause: line(() => launchCause(launch)),
        link: () => fitted(cloudTrailEventConsoleUrl(launch), label(launch.eventId, 'call')),
        list: {
          key: launch.clusterArn,
          name: launch.clusterName,
          url: clusterTasksConsoleUrl(launch),
          what: 'Tasks',
          console: 'ECS',
        },
        ...(launch.at ? { at: launch.at } : {}),
      };
    }
    case 'batch': {
      const { job } = report;
      const at = job.stoppedAt ?? job.createdAt;
      return {
        name: `job ${job.jobName}`,
        cause: line(() => batchCause(job)),
        link: () => fitted(batchJobConsoleUrl(job), label(job.jobId, 'job')),
        list: {
          key: `${job.partition} ${job.region} ${job.jobQueue}`,
          name: job.queueName,
          url: batchJobsConsoleUrl(job),
          what: 'Jobs',
          console: 'Batch',
        },
        ...(at ? { at } : {}),
      };
    }
  }
}

/** A cause, as one line of at most `max` characters. */
function line(cause: () => Cause | undefined): (max: number) => string | undefined {
  return (max) => {
    const found = cause();
    return found ? causeLine(found, max) : undefined;
  };
}

/** A link that fits a digest's field beside others, or nothing. */
function fitted(url: string, text: string): string | undefined {
  const link = slackLink(url, text);
  return link.length <= (SLACK_LIMITS.section - 20) / 2 ? link : undefined;
}

/** An ID or name as a link's label: letters, digits and `-` only, short; `fallback` if none are left. */
function label(id: string, fallback: string): string {
  return shortId(id) || fallback;
}

function servicesPage(service: {
  partition: string;
  region: string;
  clusterName: string;
  clusterArn: string;
}): ListPage {
  return {
    key: service.clusterArn,
    name: service.clusterName,
    url: `${consoleHost(service.partition, service.region)}/ecs/v2/clusters/${encodeURIComponent(service.clusterName)}/services?region=${encodeURIComponent(service.region)}`,
    what: 'Services',
    console: 'ECS',
  };
}

function taskView(task: Task, cause: () => ReturnType<typeof causeOf>): ReportView {
  return {
    name: formatTaskDefinition(task.family, task.revision),
    cause: (max) => {
      const found = cause();
      return found ? causeLine(found, max) : undefined;
    },
    link: () => taskLink(task, shortId(task.taskId) || 'task'),
    list: {
      key: task.clusterArn,
      name: task.clusterName,
      url: clusterTasksConsoleUrl(task),
      what: 'Tasks',
      console: 'ECS',
    },
    ...(task.stoppedAt ? { at: task.stoppedAt } : {}),
  };
}

/** `9a8b7c6d`: an ID's first eight letters, digits and `-`. */
export function shortId(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8);
}
