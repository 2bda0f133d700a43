import { parseClusterArn } from '../lambda/domain/arn.js';
import type { NotifierConfig, SourceConfig } from '../lambda/domain/config.js';
import { stableHex } from './stable-hex.js';
import { buildTaskMetadata } from './task-metadata.js';

/** One configured source's example task, in every shape the local services serve. */
export interface LocalTask {
  /** The `<id>` in `/v4/<id>`: stable for a given label and cluster. */
  id: string;
  label: string;
  facts: TaskFacts;
  /** The v4 `/task` response while the task runs. */
  metadata: Record<string, unknown>;
  /** DescribeTasks' `tasks[]` entry on the wire (epoch seconds) once it stopped. */
  described: Record<string, unknown>;
  /** The EventBridge "ECS Task State Change" event for that stop. */
  event: Record<string, unknown>;
}

/** What every shape of one task agrees on. */
export interface TaskFacts {
  index: number;
  seed: string;
  label: string;
  launchType: 'FARGATE' | 'EC2';
  partition: string;
  region: string;
  account: string;
  clusterArn: string;
  clusterName: string;
  taskId: string;
  taskArn: string;
  family: string;
  revision: number;
  taskDefinitionArn: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  privateIp: string;
  exitCode: number;
  tags: Record<string, string>;
  times: { created: Date; started: Date; stopping: Date; stopped: Date };
}

/**
 * One example task per configured source: sources alternate Fargate (cluster reported as an ARN)
 * and EC2 (short name), and succeed (exit 0) or fail (exit 1), so both shapes and colours show.
 */
export function generateLocalTasks(config: Pick<NotifierConfig, 'sources'>): LocalTask[] {
  return config.sources.map((source, index) => {
    const facts = taskFacts(source, index);
    return {
      id: `${facts.taskId}-${Number.parseInt(stableHex(`${facts.seed}/id`, 8), 16)}`,
      label: source.label,
      facts,
      metadata: buildTaskMetadata(facts),
      described: buildDescribedTask(facts),
      event: buildStoppedEvent(facts),
    };
  });
}

function taskFacts(source: SourceConfig, index: number): TaskFacts {
  const cluster = parseClusterArn(source.clusterArn);
  const seed = `${source.label}\n${source.clusterArn}`;
  const family = slug(source.label);
  const revision = 1 + (Number.parseInt(stableHex(`${seed}/rev`, 4), 16) % 40);
  const taskId = stableHex(`${seed}/task`, 32);
  const base = Date.UTC(2024, 4, 1, 2, 0, 0) + index * 3_600_000;
  const prefix = `arn:${cluster.partition}:ecs:${cluster.region}:${cluster.account}`;
  return {
    index,
    seed,
    label: source.label,
    launchType: index % 2 === 0 ? 'FARGATE' : 'EC2',
    partition: cluster.partition,
    region: cluster.region,
    account: cluster.account,
    clusterArn: source.clusterArn,
    clusterName: cluster.clusterName,
    taskId,
    taskArn: `${prefix}:task/${cluster.clusterName}/${taskId}`,
    family,
    revision,
    taskDefinitionArn: `${prefix}:task-definition/${family}:${revision}`,
    vpcId: source.vpcId ?? `vpc-${stableHex(`${seed}/vpc`, 17)}`,
    subnetId: source.subnetIds?.[0] ?? `subnet-${stableHex(`${seed}/subnet`, 17)}`,
    availabilityZone: `${cluster.region}${'abc'[index % 3]}`,
    privateIp: `10.0.${(index % 250) + 1}.${(Number.parseInt(stableHex(`${seed}/ip`, 2), 16) % 250) + 4}`,
    exitCode: index % 2 === 0 ? 0 : 1,
    tags: { source: source.label.slice(0, 256), 'managed-by': 'ecs-task-notifier-local' },
    times: {
      created: new Date(base),
      started: new Date(base + 42_317),
      stopping: new Date(base + 342_881),
      stopped: new Date(base + 361_204),
    },
  };
}

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'batch-job'
  );
}

/** The parts DescribeTasks and the event share; `time` renders timestamps for each. */
function taskDetail(f: TaskFacts, time: (d: Date) => string | number, eniType: string) {
  const t = f.times;
  const eniId = `eni-${stableHex(`${f.seed}/eni`, 17)}`;
  const prefix = `arn:${f.partition}:ecs:${f.region}:${f.account}`;
  return {
    attachments: [
      {
        id: stableHex(`${f.seed}/attachment`, 32).replace(
          /^(.{8})(.{4})(.{4})(.{4})(.{12})$/,
          '$1-$2-$3-$4-$5',
        ),
        type: eniType,
        status: 'DELETED',
        details: [
          { name: 'subnetId', value: f.subnetId },
          { name: 'networkInterfaceId', value: eniId },
          { name: 'privateIPv4Address', value: f.privateIp },
        ],
      },
    ],
    availabilityZone: f.availabilityZone,
    clusterArn: f.clusterArn,
    containers: [
      {
        containerArn: `${prefix}:container/${f.clusterName}/${f.taskId}/${stableHex(`${f.seed}/container`, 32)}`,
        exitCode: f.exitCode,
        lastStatus: 'STOPPED',
        name: 'job',
        image: `${f.account}.dkr.ecr.${f.region}.amazonaws.com/${f.family}:latest`,
        runtimeId: `${f.taskId}-${stableHex(`${f.seed}/runtime`, 10)}`,
        taskArn: f.taskArn,
        networkInterfaces: [{ attachmentId: 'eni-attachment', privateIpv4Address: f.privateIp }],
        cpu: '0',
      },
    ],
    cpu: '256',
    memory: '512',
    createdAt: time(t.created),
    startedAt: time(t.started),
    stoppingAt: time(t.stopping),
    stoppedAt: time(t.stopped),
    executionStoppedAt: time(new Date(t.stopping.getTime() + 1_250)),
    desiredStatus: 'STOPPED',
    lastStatus: 'STOPPED',
    group: `family:${f.family}`,
    launchType: f.launchType,
    ...(f.launchType === 'FARGATE'
      ? { capacityProviderName: 'FARGATE', platformVersion: '1.4.0', platformFamily: 'Linux' }
      : {
          containerInstanceArn: `${prefix}:container-instance/${f.clusterName}/${stableHex(`${f.seed}/ci`, 32)}`,
        }),
    overrides: { containerOverrides: [{ name: 'job' }], inferenceAcceleratorOverrides: [] },
    startedBy: `events-rule/${f.family}`.slice(0, 128),
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    taskArn: f.taskArn,
    taskDefinitionArn: f.taskDefinitionArn,
    version: 5,
  };
}

function buildDescribedTask(f: TaskFacts): Record<string, unknown> {
  const epoch = (d: Date) => d.getTime() / 1000;
  return {
    ...taskDetail(f, epoch, 'ElasticNetworkInterface'),
    connectivity: 'CONNECTED',
    connectivityAt: epoch(new Date(f.times.created.getTime() + 9_000)),
    healthStatus: 'UNKNOWN',
    tags: Object.entries(f.tags).map(([key, value]) => ({ key, value })),
  };
}

function buildStoppedEvent(f: TaskFacts): Record<string, unknown> {
  const iso = (d: Date) => d.toISOString();
  return {
    version: '0',
    id: stableHex(`${f.seed}/event`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: f.account,
    time: iso(f.times.stopped),
    region: f.region,
    resources: [f.taskArn],
    detail: { ...taskDetail(f, iso, 'eni'), updatedAt: iso(f.times.stopped) },
  };
}
