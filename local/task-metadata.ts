import { stableHex } from './stable-hex.js';
import type { TaskFacts } from './tasks.js';

type Json = Record<string, unknown>;

/** Metadata timestamps carry nanoseconds: `2024-05-01T02:00:42.317483920Z`. */
function nanos(date: Date): string {
  return date.toISOString().replace(/Z$/, '483920Z');
}

/**
 * The v4 `/task` response of a running task, with the real quirks: `Revision` is a string,
 * `Cluster` is the ARN on Fargate and the short name on EC2, EC2 (awsvpc) has a pause container.
 */
export function buildTaskMetadata(f: TaskFacts): Json {
  const fargate = f.launchType === 'FARGATE';
  const cluster = fargate ? f.clusterArn : f.clusterName;
  const labels = (name: string) => ({
    'com.amazonaws.ecs.cluster': cluster,
    'com.amazonaws.ecs.container-name': name,
    'com.amazonaws.ecs.task-arn': f.taskArn,
    'com.amazonaws.ecs.task-definition-family': f.family,
    'com.amazonaws.ecs.task-definition-version': String(f.revision),
  });
  const mac = stableHex(`${f.seed}/mac`, 12).replace(/(..)(?!$)/g, '$1:');
  const [a, b, c] = f.privateIp.split('.');
  const networks = [
    {
      NetworkMode: 'awsvpc',
      IPv4Addresses: [f.privateIp],
      AttachmentIndex: 0,
      MACAddress: mac,
      IPv4SubnetCIDRBlock: `${a}.${b}.${c}.0/24`,
      PrivateDNSName: `ip-${f.privateIp.replaceAll('.', '-')}.${f.region}.compute.internal`,
      SubnetGatewayIpv4Address: `${a}.${b}.${c}.1/24`,
    },
  ];
  const started = f.times.started;
  const job = {
    DockerId: f.runtimeId,
    Name: 'job',
    DockerName: `ecs-${f.family}-${f.revision}-job-${stableHex(`${f.seed}/dockername`, 20)}`,
    Image: `${f.account}.dkr.ecr.${f.region}.amazonaws.com/${f.family}:2024-05-01`,
    ImageID: `sha256:${stableHex(`${f.seed}/image`, 64)}`,
    Labels: labels('job'),
    DesiredStatus: 'RUNNING',
    KnownStatus: 'RUNNING',
    Limits: { CPU: 256, Memory: 512 },
    CreatedAt: nanos(new Date(started.getTime() - 600)),
    StartedAt: nanos(started),
    Type: 'NORMAL',
    LogDriver: 'awslogs',
    LogOptions: {
      'awslogs-group': f.logGroup,
      'awslogs-region': f.region,
      'awslogs-stream': f.logStream,
    },
    ContainerARN: `arn:${f.partition}:ecs:${f.region}:${f.account}:container/${f.clusterName}/${f.taskId}/${stableHex(`${f.seed}/container`, 32)}`,
    Networks: networks,
  };
  const pause = {
    DockerId: stableHex(`${f.seed}/pause`, 64),
    Name: '~internal~ecs~pause',
    DockerName: `ecs-${f.family}-${f.revision}-internalecspause-${stableHex(`${f.seed}/pausename`, 20)}`,
    Image: 'amazon/amazon-ecs-pause:0.1.0',
    ImageID: '',
    Labels: labels('~internal~ecs~pause'),
    DesiredStatus: 'RESOURCES_PROVISIONED',
    KnownStatus: 'RESOURCES_PROVISIONED',
    Limits: { CPU: 0, Memory: 0 },
    CreatedAt: nanos(new Date(started.getTime() - 2_000)),
    StartedAt: nanos(new Date(started.getTime() - 1_500)),
    Type: 'CNI_PAUSE',
    Networks: networks,
  };
  return {
    Cluster: cluster,
    TaskARN: f.taskArn,
    Family: f.family,
    Revision: String(f.revision),
    DesiredStatus: 'RUNNING',
    KnownStatus: 'RUNNING',
    ...(fargate ? { Limits: { CPU: 0.25, Memory: 512 } } : {}),
    PullStartedAt: nanos(new Date(f.times.created.getTime() + 12_000)),
    PullStoppedAt: nanos(new Date(started.getTime() - 3_000)),
    AvailabilityZone: f.availabilityZone,
    LaunchType: f.launchType,
    VPCID: f.vpcId,
    Containers: fargate ? [job] : [pause, job],
  };
}

const V4_ONLY_TASK = [
  'LaunchType',
  'VPCID',
  'ServiceName',
  'AvailabilityZoneID',
  'ClockDrift',
  'EphemeralStorageMetrics',
];
const V4_ONLY_CONTAINER = ['LogDriver', 'LogOptions', 'ContainerARN', 'Health', 'ExitCode', 'Snapshotter'];

/** v3 answers the same task with fewer fields: no launch type or VPC, networks cut to mode and IPs. */
export function toV3Task(task: Json): Json {
  const out = omit(task, V4_ONLY_TASK);
  if (Array.isArray(task.Containers)) out.Containers = task.Containers.map((c) => toV3Container(c as Json));
  return out;
}

export function toV3Container(container: Json): Json {
  const out = omit(container, V4_ONLY_CONTAINER);
  if (Array.isArray(container.Networks)) {
    out.Networks = container.Networks.map((n: Json) => ({
      NetworkMode: n.NetworkMode,
      IPv4Addresses: n.IPv4Addresses,
    }));
  }
  return out;
}

/** The container a process in the task is: the first that is not the agent's own. */
export function ownContainer(task: Json): Json | undefined {
  const containers = Array.isArray(task.Containers) ? (task.Containers as Json[]) : [];
  return containers.find((c) => !String(c.Name ?? '').startsWith('~internal~')) ?? containers[0];
}

/** A small Docker stats object in the endpoint's shape. */
export function containerStats(container: Json, now = new Date()): Json {
  const name = typeof container.DockerName === 'string' ? container.DockerName : 'container';
  return {
    read: now.toISOString(),
    preread: new Date(now.getTime() - 1000).toISOString(),
    name: `/${name}`,
    id: container.DockerId ?? '',
    num_procs: 0,
    pids_stats: { current: 1 },
    cpu_stats: {
      cpu_usage: { total_usage: 41_234_567, usage_in_kernelmode: 10_000_000, usage_in_usermode: 30_000_000 },
      online_cpus: 2,
    },
    memory_stats: { usage: 12_345_678, max_usage: 23_456_789, limit: 536_870_912, stats: {} },
    networks: { eth1: { rx_bytes: 1_234, rx_packets: 12, tx_bytes: 2_345, tx_packets: 23 } },
  };
}

function omit(value: Json, keys: string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}
