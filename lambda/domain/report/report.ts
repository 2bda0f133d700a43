import type { BatchReport } from '../batch/batch-report.js';
import type { DeploymentReport } from '../deployment/deployment-report.js';
import type { LaunchReport } from '../launch/launch-report.js';
import type { ServiceReport } from '../service/service-report.js';
import type { TaskReport } from '../task/task.js';

/** What the notifier reports on, one kind per event it reads. */
export const REPORT_KINDS = ['task', 'service', 'deployment', 'launch', 'batch'] as const;

export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * Everything downstream of evaluation takes one of these: a report of one kind, each converted
 * once, at the edge, from its event (and the API that confirms it).
 */
export type Report = TaskReport | ServiceReport | DeploymentReport | LaunchReport | BatchReport;

/**
 * What a message is about, whatever its kind: the job (task definition family and revision, a
 * Batch job's job definition), where it ran and the status the event reports. Routes match on it;
 * digests and logs read it.
 */
export interface Subject {
  kind: ReportKind;
  /** The task definition's family (a Batch job's job definition name); absent when nothing says. */
  family?: string;
  /** `null` when the source does not say (never guessed). */
  revision: number | null;
  clusterArn?: string;
  clusterName?: string;
  account: string;
  region: string;
  partition: string;
  /** The status the event reports: a task's lastStatus, a service event's name, a job's status. */
  status: string;
  /** The service's name, for a service's events and deployments. */
  service?: string;
  /** The Batch job's name. */
  job?: string;
  /** When it happened, as the event says. */
  at?: Date;
}
