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
  task: Task;
  source: Source;
  outcome: Outcome;
  crossCheck: CrossCheck;
  durationMs: number | null;
}
