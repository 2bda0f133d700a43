import { NotifierError } from '../errors.js';

/** The parts every ECS ARN shares: `arn:PARTITION:ecs:REGION:ACCOUNT:RESOURCE`. */
export interface EcsArn {
  partition: string;
  region: string;
  /** Kept as written: redacted samples carry `XXXXXXXXXXXX`, `123` or `***`. */
  account: string;
  resource: string;
}

export interface TaskDefinitionRef extends EcsArn {
  family: string;
  /** `null` when the ARN carries no `:REVISION` (some documented events do): never guessed. */
  revision: number | null;
}

export interface TaskRef extends EcsArn {
  taskId: string;
  /** Only new-format ARNs (`task/CLUSTER/ID`) name the cluster. */
  clusterName: string | null;
}

export interface ClusterRef extends EcsArn {
  clusterName: string;
}

export interface ServiceRef extends EcsArn {
  serviceName: string;
  /** Only new-format ARNs (`service/CLUSTER/NAME`) name the cluster. */
  clusterName: string | null;
}

/** Thrown when a string is not the ARN it should be; the message says what was expected. */
export class ArnError extends NotifierError {
  constructor(
    message: string,
    /** The part that is wrong, when only one is: `region` (an ARN otherwise well formed). */
    readonly part?: 'region',
  ) {
    super(message);
  }
}

const PARTITION = /^aws(-[a-z]+)*$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const ID = /^[A-Za-z0-9-]{1,64}$/;

/** Splits an ECS ARN into its shared parts; throws {@link ArnError} when it is not one. */
export function parseEcsArn(arn: string, what = 'an ECS ARN'): EcsArn {
  // Five colons split off the shared parts; the resource keeps any colons of its own.
  const ends: number[] = [];
  for (let at = arn.indexOf(':'); at !== -1 && ends.length < 5; at = arn.indexOf(':', at + 1)) ends.push(at);
  const [a = -1, b = -1, c = -1, d = -1, e = -1] = ends;
  const partition = arn.slice(a + 1, b);
  const region = arn.slice(c + 1, d);
  const resource = arn.slice(e + 1);
  if (
    ends.length < 5 ||
    arn.slice(0, a) !== 'arn' ||
    arn.slice(b + 1, c) !== 'ecs' ||
    !PARTITION.test(partition) ||
    !resource
  ) {
    throw new ArnError(`expected ${what}, got ${JSON.stringify(truncate(arn))}`);
  }
  if (!REGION.test(region)) {
    throw new ArnError(
      `expected ${what} with an AWS region like "us-east-1", got ${JSON.stringify(truncate(arn))}`,
      'region',
    );
  }
  return { partition, region, account: arn.slice(d + 1, e), resource };
}

/** `arn:aws:ecs:us-east-1:123456789012:task-definition/batch-job:42` → family `batch-job`, revision 42. */
export function parseTaskDefinitionArn(arn: string): TaskDefinitionRef {
  const what = 'a task definition ARN';
  const base = parseEcsArn(arn, what);
  const match = /^task-definition\/([^:]+)(?::(\d+))?$/.exec(base.resource);
  const family = match?.[1];
  if (!match || !family || !FAMILY.test(family)) {
    throw new ArnError(`expected ${what}, got ${JSON.stringify(truncate(arn))}`);
  }
  const revision = match[2] === undefined ? null : Number(match[2]);
  if (revision !== null && (!Number.isSafeInteger(revision) || revision < 1)) {
    throw new ArnError(`expected a revision of 1 or more in ${JSON.stringify(truncate(arn))}`);
  }
  return { ...base, family, revision };
}

/** Accepts the old (`task/ID`) and the new (`task/CLUSTER/ID`) task ARN formats. */
export function parseTaskArn(arn: string): TaskRef {
  const what = 'a task ARN';
  const base = parseEcsArn(arn, what);
  const parts = base.resource.split('/');
  if (parts[0] !== 'task' || parts.length < 2 || parts.length > 3) {
    throw new ArnError(`expected ${what}, got ${JSON.stringify(truncate(arn))}`);
  }
  const taskId = parts[parts.length - 1] ?? '';
  const clusterName = parts.length === 3 ? (parts[1] ?? '') : null;
  if (!ID.test(taskId) || (clusterName !== null && !NAME.test(clusterName))) {
    throw new ArnError(`expected ${what}, got ${JSON.stringify(truncate(arn))}`);
  }
  return { ...base, taskId, clusterName };
}

/** `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`. */
export function parseClusterArn(arn: string): ClusterRef {
  const what = 'an ECS cluster ARN';
  const base = parseEcsArn(arn, what);
  const match = /^cluster\/(.+)$/.exec(base.resource);
  const clusterName = match?.[1];
  if (!clusterName || !NAME.test(clusterName)) {
    throw new ArnError(`expected ${what}, got ${JSON.stringify(truncate(arn))}`);
  }
  return { ...base, clusterName };
}

/** Accepts the old (`service/NAME`) and the new (`service/CLUSTER/NAME`) service ARN formats. */
export function parseServiceArn(arn: string): ServiceRef {
  const what = 'a service ARN';
  const base = parseEcsArn(arn, what);
  const parts = base.resource.split('/');
  const serviceName = parts[parts.length - 1] ?? '';
  const clusterName = parts.length === 3 ? (parts[1] ?? '') : null;
  if (
    parts[0] !== 'service' ||
    parts.length < 2 ||
    parts.length > 3 ||
    !NAME.test(serviceName) ||
    (clusterName !== null && !NAME.test(clusterName))
  ) {
    throw new ArnError(`expected ${what}, got ${JSON.stringify(truncate(arn))}`);
  }
  return { ...base, serviceName, clusterName };
}

/** The first words of the regions of each partition but `aws` (as aws-cdk-lib's region facts list them). */
const REGION_PREFIXES: readonly (readonly [prefix: string, partition: string])[] = [
  ['cn-', 'aws-cn'],
  ['us-gov-', 'aws-us-gov'],
  ['us-iso-', 'aws-iso'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['eusc-', 'aws-eusc'],
];

/** What an AWS region's name looks like: `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`. */
export const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** The partition a region belongs to: `cn-north-1` → `aws-cn`, `us-east-1` → `aws`. */
export function partitionOfRegion(region: string): string {
  return REGION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** `family:revision`, or `family:?` when the revision is unknown. */
export function formatTaskDefinition(family: string, revision: number | null): string {
  return `${family}:${revision ?? '?'}`;
}

function truncate(value: string): string {
  return value.length > 120 ? `${value.slice(0, 119)}…` : value;
}
