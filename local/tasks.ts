import type { NotifierConfig, SourceConfig } from '../lambda/domain/config/config.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import type { LocalLogStream } from './logs-api.js';
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
  /** DescribeTaskDefinition's `taskDefinition` for the task's revision. */
  taskDefinition: Record<string, unknown>;
  /** What the task's container logged, in its awslogs stream. */
  logs: LocalLogStream[];
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
  /** The `job` container's runtime ID: `<task ID>-<digits>` on Fargate, the Docker ID on EC2. */
  runtimeId: string;
  /** Its awslogs group; the stream is `ecs/job/<task ID>` on Fargate, the runtime ID on EC2 (no prefix). */
  logGroup: string;
  logStream: string;
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
      taskDefinition: buildTaskDefinition(facts),
      logs: [{ group: facts.logGroup, stream: facts.logStream, events: buildLogEvents(facts) }],
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
  const launchType = index % 2 === 0 ? 'FARGATE' : 'EC2';
  const runtimeId =
    launchType === 'FARGATE'
      ? `${taskId}-${Number.parseInt(stableHex(`${seed}/runtime`, 8), 16)}`
      : stableHex(`${seed}/docker`, 64);
  return {
    index,
    seed,
    label: source.label,
    launchType,
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
    runtimeId,
    logGroup: `/ecs/${family}`,
    logStream: launchType === 'FARGATE' ? `ecs/job/${taskId}` : runtimeId,
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
        image: imageOf(f),
        imageDigest: `sha256:${stableHex(`${f.seed}/image`, 64)}`,
        runtimeId: f.runtimeId,
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

function imageOf(f: TaskFacts): string {
  return `${f.account}.dkr.ecr.${f.region}.amazonaws.com/${f.family}:2024-05-01`;
}

/**
 * The revision the task ran: one essential `job` container logging with awslogs, with a stream
 * prefix on Fargate (streams `ecs/job/<task ID>`) and without one on EC2 (streams named by the
 * container's runtime ID).
 */
function buildTaskDefinition(f: TaskFacts): Record<string, unknown> {
  const fargate = f.launchType === 'FARGATE';
  return {
    taskDefinitionArn: f.taskDefinitionArn,
    family: f.family,
    revision: f.revision,
    containerDefinitions: [
      {
        name: 'job',
        image: imageOf(f),
        cpu: 0,
        essential: true,
        environment: [{ name: 'SOURCE', value: f.label }],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': f.logGroup,
            'awslogs-region': f.region,
            ...(fargate ? { 'awslogs-stream-prefix': 'ecs' } : {}),
          },
          secretOptions: [],
        },
      },
    ],
    networkMode: 'awsvpc',
    status: 'ACTIVE',
    requiresCompatibilities: [f.launchType],
    cpu: '256',
    memory: '512',
    registeredAt: f.times.created.getTime() / 1000 - 86_400,
    registeredBy: `arn:${f.partition}:iam::${f.account}:role/deploy`,
  };
}

/**
 * What the job logged: a short run that succeeds, or one that fails on a duplicate key, with what
 * real logs carry (a colour code, a line longer than a message should show, a traceback).
 */
function buildLogEvents(f: TaskFacts): { timestamp: number; message: string }[] {
  const rows = 12_480 + (Number.parseInt(stableHex(`${f.seed}/rows`, 4), 16) % 1000);
  const common = [
    `INFO  starting ${f.family}:${f.revision} (${f.label})`,
    'INFO  connecting to postgres at db.internal:5432 as importer',
    `INFO  fetched ${rows} rows from s3://${f.family}-inbox/2024-05-01/customers.csv`,
    '\u001b[33mWARN\u001b[0m  row 10233: missing customer_id, skipped',
    'INFO  batch 1/3 written (5000 rows)',
    'INFO  batch 2/3 written (5000 rows)',
  ];
  const ending =
    f.exitCode === 0
      ? ['INFO  batch 3/3 written', `INFO  done: ${rows - 1} rows imported, 1 skipped`]
      : [
          '\u001b[31mERROR\u001b[0m batch 3/3 failed: duplicate key value violates unique constraint "customers_pkey"',
          `DETAIL: Key (customer_id)=(C-20931) already exists. Statement: INSERT INTO customers (customer_id, name, email, country, created_at) VALUES ${Array.from({ length: 6 }, (_, i) => `('C-2093${i}', 'customer ${i}', 'c${i}@example.com', 'DE', now())`).join(', ')}`,
          'Traceback (most recent call last):',
          '  File "/app/import.py", line 88, in <module>',
          '    main()',
          '  File "/app/import.py", line 81, in main',
          '    write_batch(conn, rows)',
          'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "customers_pkey"',
          `ERROR exiting with status ${f.exitCode}`,
        ];
  const start = f.times.started.getTime() + 1_000;
  const step = Math.floor((f.times.stopping.getTime() - start) / (common.length + ending.length));
  return [...common, ...ending].map((message, i) => ({ timestamp: start + i * step, message }));
}
