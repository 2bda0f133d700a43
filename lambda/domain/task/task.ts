/**
 * One model of an ECS task's identity and state, whatever it came from: an EventBridge
 * event, a DescribeTasks response, saved CLI output or the task metadata endpoint.
 * Each source is converted to it once, at the edge.
 */
export interface Task {
  taskArn: string;
  taskId: string;
  /** The cluster as its source reported it: an ARN, or a short name (metadata on EC2). */
  cluster: string;
  clusterName: string;
  /** Always an ARN; built from the task ARN when the source gave only a name. */
  clusterArn: string;
  taskDefinitionArn: string;
  family: string;
  /** `null` when the source does not say (never guessed). */
  revision: number | null;
  partition: string;
  region: string;
  account: string;
  lastStatus: string;
  desiredStatus?: string;
  launchType?: string;
  capacityProviderName?: string;
  availabilityZone?: string;
  subnetId?: string;
  vpcId?: string;
  stopCode?: string;
  stoppedReason?: string;
  containers: ContainerState[];
  createdAt?: Date;
  startedAt?: Date;
  stoppingAt?: Date;
  stoppedAt?: Date;
  startedBy?: string;
  group?: string;
  /** The task's CPU units as ECS reports them (`"1024"` is 1 vCPU). */
  cpu?: string;
  /** The task's memory in MiB as ECS reports it (`"2048"`). */
  memory?: string;
  /** From DescribeTasks (`include: ["TAGS"]`) or `taskWithTags`; events carry none. */
  tags: Record<string, string>;
  /** ECS's own counter of state changes; duplicates of one change share it. */
  version?: number;
}

export interface ContainerState {
  name: string;
  lastStatus?: string;
  /** `null` when the container has not reported one (never started, or still running). */
  exitCode: number | null;
  reason?: string;
  /** The image as the task definition names it (`repository:tag`, maybe with a registry host). */
  image?: string;
  /** `sha256:…` of the image that ran, once the container started. */
  imageDigest?: string;
  /** The Docker container ID: the awslogs stream's name when the task definition sets no prefix. */
  runtimeId?: string;
}

export type Outcome = 'succeeded' | 'failed' | 'stopped' | 'in-progress';

export const OUTCOMES: readonly Outcome[] = ['succeeded', 'failed', 'stopped', 'in-progress'];

export const TASK_STATUSES = [
  'PROVISIONING',
  'PENDING',
  'ACTIVATING',
  'RUNNING',
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
  'STOPPED',
  'DELETED',
] as const;

/** Where a task ran, from configuration; unconfigured clusters get a label of their own. */
export interface Source {
  label: string;
  configured: boolean;
  vpcId?: string;
  /** Why the source could not be told for sure (e.g. the EC2 subnet lookup failed); shown as a warning. */
  note?: string;
}

export type CrossCheckStatus = 'confirmed' | 'mismatch' | 'missing' | 'unavailable' | 'not-run';

export interface CrossCheck {
  status: CrossCheckStatus;
  /** What DescribeTasks named, when it answered for the task. */
  described?: { family: string; revision: number | null };
  /** Why the check could not run or confirm (an error name, never a secret). */
  detail?: string;
}

/** A task as the message shows it: identity, state and what we concluded about it. */
export interface TaskReport {
  kind: 'task';
  task: Task;
  source: Source;
  outcome: Outcome;
  crossCheck: CrossCheck;
  durationMs: number | null;
  /** Where each container logs and the failed container's last lines; only on messages sent one per task. */
  logs?: TaskLogs;
}

/** A CloudWatch Logs stream, with the region and partition its console link needs. */
export interface LogStreamRef {
  group: string;
  stream: string;
  region: string;
  partition: string;
  /** The task's account (a task logs to its own account's groups); absent: the reader's own. */
  account?: string;
}

/** Where one container's log goes, from its task definition's `logConfiguration`. */
export interface ContainerLog {
  container: string;
  /** `awslogs`, `awsfirelens`, `splunk`, …; absent when the container has no log configuration. */
  driver?: string;
  /** The stream, for `awslogs` when the options name it. */
  stream?: LogStreamRef;
  /** Why an `awslogs` container has no stream (an option is missing). */
  note?: string;
}

/**
 * The failed container's last log lines, or why they are not shown: `off` (not asked for this
 * outcome, or no log groups may be read), `none` (no container failed, or it does not log to
 * CloudWatch Logs), `outside` (its group is not in `logGroups`), `empty` (no lines yet, after
 * retries), `denied`, `unavailable` (throttled, failed), `timeout` (the deadline came first).
 */
export type LogTail =
  | { status: 'shown'; container: string; lines: string[]; omitted: number; more: boolean }
  | { status: 'empty'; container: string }
  | { status: 'denied' | 'unavailable' | 'timeout' | 'outside'; container: string; detail: string }
  | { status: 'off' | 'none' };

export type LogTailStatus = LogTail['status'];

/** What a message says about the task's logs. */
export interface TaskLogs {
  /** Set when the task definition could not be read: the message has no links and says why. */
  unavailable?: string;
  containers: ContainerLog[];
  tail: LogTail;
}
