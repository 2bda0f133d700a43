import type { SourceConfig } from '../lambda/domain/config/config.js';
import type { ReportKind } from '../lambda/domain/report/report.js';
import { parseClusterArn } from '../lambda/domain/task/arn.js';
import { stableHex } from './stable-hex.js';

type Json = Record<string, unknown>;

/**
 * One event of each kind beyond task stops, from one source's cluster, and what the local APIs
 * answer about them: a service that cannot place its tasks, a deployment the circuit breaker
 * rolled back, a scheduled RunTask that launched nothing, a Batch job whose host went away.
 */
export interface KindExamples {
  /** In the order: service, deployment, launch, batch. */
  events: { kind: Exclude<ReportKind, 'task'>; event: Json }[];
  /** DescribeServices' `services[]` on the wire (epoch-second times). */
  services: Json[];
  /** DescribeJobs' `jobs[]` (epoch-millisecond times). */
  jobs: Json[];
}

const uuid = (seed: string) =>
  stableHex(seed, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** The examples for `source`, at times from `at` on (the service's first failure 40 minutes before). */
export function kindExamples(source: Pick<SourceConfig, 'clusterArn' | 'jobQueues'>, at: Date): KindExamples {
  const { partition, region, account, clusterName } = parseClusterArn(source.clusterArn);
  const prefix = `arn:${partition}:ecs:${region}:${account}`;
  const seed = source.clusterArn;
  const service = `${prefix}:service/${clusterName}/web`;
  const definition = (revision: number) => `${prefix}:task-definition/web:${revision}`;
  const iso = (minutes: number) =>
    new Date(at.getTime() + minutes * 60_000).toISOString().replace('.000', '');
  const epoch = (minutes: number) => at.getTime() / 1000 + minutes * 60;
  const failedDeployment = `ecs-svc/${BigInt(`0x${stableHex(`${seed}/failed`, 15)}`).toString()}`;
  const primary = `ecs-svc/${BigInt(`0x${stableHex(`${seed}/primary`, 15)}`).toString()}`;
  const envelope = (
    type: string,
    from: string,
    minutes: number,
    resources: string[],
    detail: Json,
  ): Json => ({
    version: '0',
    id: uuid(`${seed}/${type}`),
    'detail-type': type,
    source: from,
    account,
    time: iso(minutes),
    region,
    resources,
    detail,
  });
  const instance = stableHex(`${seed}/instance`, 32);
  const queue = source.jobQueues?.[0] ?? `arn:${partition}:batch:${region}:${account}:job-queue/nightly`;
  const jobId = uuid(`${seed}/job`);
  const taskIds = [1, 2].map((n) => stableHex(`${seed}/job-task-${n}`, 32));
  const job: Json = {
    jobArn: `arn:${partition}:batch:${region}:${account}:job/${jobId}`,
    jobName: 'nightly-import',
    jobId,
    jobQueue: queue,
    status: 'FAILED',
    statusReason: 'Host EC2 (instance i-0a7c3e9f1b5d2e8c4) terminated.',
    attempts: taskIds.map((taskId, n) => ({
      container: {
        taskArn: `${prefix}:task/${clusterName}/${taskId}`,
        logStreamName: `nightly-import/default/${taskId}`,
        networkInterfaces: [],
      },
      startedAt: at.getTime() + (n * 10 + 1) * 60_000,
      stoppedAt: at.getTime() + (n * 10 + 9) * 60_000,
      statusReason: `Host EC2 (instance i-0${n ? 'a7c3e9f1b5d2e8c4' : 'd2b8f4a6c1e9b3d7'}) terminated.`,
    })),
    createdAt: at.getTime(),
    startedAt: at.getTime() + 60_000,
    stoppedAt: at.getTime() + 19 * 60_000,
    retryStrategy: { attempts: 2 },
    jobDefinition: `arn:${partition}:batch:${region}:${account}:job-definition/nightly-import:7`,
    container: {
      image: `${account}.dkr.ecr.${region}.amazonaws.com/nightly-import:2024-05-01`,
      vcpus: 4,
      memory: 16384,
      taskArn: `${prefix}:task/${clusterName}/${taskIds[1]}`,
      logStreamName: `nightly-import/default/${taskIds[1]}`,
    },
  };
  return {
    events: [
      {
        kind: 'service',
        event: envelope('ECS Service Action', 'aws.ecs', 0, [service], {
          eventType: 'ERROR',
          eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
          clusterArn: source.clusterArn,
          containerInstanceArns: [`${prefix}:container-instance/${clusterName}/${instance}`],
          reason: 'RESOURCE:MEMORY',
          createdAt: iso(-40),
        }),
      },
      {
        kind: 'deployment',
        event: envelope('ECS Deployment State Change', 'aws.ecs', 30, [service], {
          eventType: 'ERROR',
          eventName: 'SERVICE_DEPLOYMENT_FAILED',
          deploymentId: failedDeployment,
          updatedAt: iso(30),
          reason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
      },
      {
        kind: 'launch',
        event: envelope('AWS API Call via CloudTrail', 'aws.ecs', 60, [], {
          eventVersion: '1.09',
          userIdentity: {
            type: 'AssumedRole',
            arn: `arn:${partition}:sts::${account}:assumed-role/ecs-events-nightly/${stableHex(`${seed}/session`, 32)}`,
            accountId: account,
            invokedBy: 'events.amazonaws.com',
          },
          eventTime: iso(60),
          eventSource: 'ecs.amazonaws.com',
          eventName: 'RunTask',
          awsRegion: region,
          requestParameters: {
            cluster: source.clusterArn,
            taskDefinition: `${prefix}:task-definition/nightly-report:42`,
            count: 1,
            launchType: 'EC2',
            startedBy: 'events-rule/nightly',
          },
          responseElements: {
            tasks: [],
            failures: [
              { arn: `${prefix}:container-instance/${clusterName}/${instance}`, reason: 'RESOURCE:MEMORY' },
            ],
          },
          eventID: uuid(`${seed}/call`),
          readOnly: false,
          eventType: 'AwsApiCall',
          managementEvent: true,
          recipientAccountId: account,
        }),
      },
      {
        kind: 'batch',
        event: envelope('Batch Job State Change', 'aws.batch', 90, [String(job.jobArn)], job),
      },
    ],
    services: [
      {
        serviceArn: service,
        serviceName: 'web',
        clusterArn: source.clusterArn,
        status: 'ACTIVE',
        desiredCount: 3,
        runningCount: 1,
        pendingCount: 0,
        launchType: 'EC2',
        taskDefinition: definition(12),
        deployments: [
          {
            id: primary,
            status: 'PRIMARY',
            taskDefinition: definition(12),
            rolloutState: 'IN_PROGRESS',
            createdAt: epoch(31),
          },
          {
            id: failedDeployment,
            status: 'ACTIVE',
            taskDefinition: definition(13),
            failedTasks: 3,
            rolloutState: 'FAILED',
            rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
            createdAt: epoch(20),
          },
        ],
        events: [
          {
            createdAt: epoch(-1),
            message: `(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${instance}) has insufficient memory available.`,
          },
        ],
      },
    ],
    jobs: [job],
  };
}
