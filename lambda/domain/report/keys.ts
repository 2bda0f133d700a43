import { repeatKey } from '../service/repeat-window.js';
import type { Report, Subject } from './report.js';

/** What the message is about, read from the report of any kind. */
export function subjectOf(report: Report): Subject {
  switch (report.kind) {
    case 'task': {
      const { task } = report;
      return {
        kind: 'task',
        family: task.family,
        revision: task.revision,
        clusterArn: task.clusterArn,
        clusterName: task.clusterName,
        account: task.account,
        region: task.region,
        partition: task.partition,
        status: task.lastStatus,
        ...at(task.stoppedAt ?? task.startedAt ?? task.createdAt),
      };
    }
    case 'service': {
      const { service, eventName, time, createdAt } = report.action;
      return {
        kind: 'service',
        ...definition(report.facts),
        ...serviceWhere(service),
        status: eventName,
        service: service.serviceName,
        ...at(time ?? createdAt),
      };
    }
    case 'deployment': {
      const { service, eventName, deploymentId, time, updatedAt } = report.change;
      const deployment = report.facts?.deployments.find((d) => d.id === deploymentId);
      return {
        kind: 'deployment',
        ...definition(deployment),
        ...serviceWhere(service),
        status: eventName,
        service: service.serviceName,
        ...at(time ?? updatedAt),
      };
    }
    case 'launch': {
      const { launch } = report;
      return {
        kind: 'launch',
        family: launch.family,
        revision: launch.revision,
        clusterArn: launch.clusterArn,
        clusterName: launch.clusterName,
        account: launch.account,
        region: launch.region,
        partition: launch.partition,
        status: launch.failed ? 'FAILED' : 'LAUNCHED',
        ...at(launch.at),
      };
    }
    case 'batch': {
      const { job } = report;
      return {
        kind: 'batch',
        family: job.definitionName,
        revision: job.revision,
        ...(job.clusterArn ? { clusterArn: job.clusterArn } : {}),
        ...(job.clusterName ? { clusterName: job.clusterName } : {}),
        account: job.account,
        region: job.region,
        partition: job.partition,
        status: job.status,
        job: job.jobName,
        ...at(job.stoppedAt ?? job.startedAt ?? job.createdAt),
      };
    }
  }
}

/**
 * The ledger key of one notification: its duplicates (a redelivery, the same event twice) share
 * it. A task stop keeps the key it always had, `taskArn#lastStatus`; a deployment's is its ID and
 * event; a service event's is the service, the event and its hour (repeats within it share it);
 * a RunTask call's is CloudTrail's event ID; a Batch job's its ID, status and attempts.
 */
export function reportKey(report: Report): string {
  switch (report.kind) {
    case 'task':
      return `${report.task.taskArn}#${report.task.lastStatus}`;
    case 'service':
      return `service#${repeatKey(report.action)}`;
    case 'deployment': {
      const { service, deploymentId, eventName } = report.change;
      return `deployment#${service.serviceArn}#${deploymentId}#${eventName}`;
    }
    case 'launch':
      return `launch#${report.launch.eventId}`;
    case 'batch': {
      const { job } = report;
      return `batch#${job.jobArn ?? `${job.region}:${job.jobId}`}#${job.status}#${job.attempts.length}`;
    }
  }
}

/**
 * What a digest groups by and the digest threshold counts: the source, the kind, and the job
 * (task definition family, service or Batch job).
 */
export function digestKey(report: Report): string {
  const subject = subjectOf(report);
  const job = subject.kind === 'service' || subject.kind === 'deployment' ? subject.service : subject.family;
  return [report.source.label, subject.kind, job ?? ''].join('\u0000');
}

function at(date: Date | undefined): { at?: Date } {
  return date ? { at: date } : {};
}

function definition(of: { family?: string; revision: number | null } | undefined) {
  return { ...(of?.family ? { family: of.family } : {}), revision: of?.revision ?? null };
}

function serviceWhere(service: Extract<Report, { kind: 'service' }>['action']['service']) {
  const { clusterArn, clusterName, account, region, partition } = service;
  return { clusterArn, clusterName, account, region, partition };
}
