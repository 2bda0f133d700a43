import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateSubnetCommand, CreateVpcCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Account } from './aws.js';
import { stoppedTaskEvent } from './stopped-event.js';

/** The container every e2e task definition runs; its log stream is `ecs/main/<task ID>`. */
export const CONTAINER = 'main';

/** A VPC with one subnet, in moto's EC2. */
export interface Network {
  vpcId: string;
  subnetId: string;
}

/** Creates a VPC of `cidr` (a /16) and one /24 subnet in it. */
export async function createNetwork(account: Account, cidr: string): Promise<Network> {
  const { ec2 } = account.clients;
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = vpc.Vpc?.VpcId as string;
  const subnet = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr.replace(/\.0\.0\/16$/, '.1.0/24') }),
  );
  return { vpcId, subnetId: subnet.Subnet?.SubnetId as string };
}

/**
 * A cluster with one EC2 container instance, so RunTask can place tasks (moto's Fargate path
 * fails), and a task definition per family, each logging with awslogs to `/ecs/<family>`.
 * Returns the cluster's ARN.
 */
export async function createCluster(account: Account, name: string, families: string[]): Promise<string> {
  const { ecs, ec2, logs } = account.clients;
  const cluster = await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const instance = await ec2.send(
    new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1 }),
  );
  const instanceId = instance.Instances?.[0]?.InstanceId;
  await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster: name,
      instanceIdentityDocument: JSON.stringify({
        instanceId,
        region: account.config.region,
        accountId: account.id,
      }),
    }),
  );
  for (const family of families) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/${family}` }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [
          {
            name: CONTAINER,
            image: `public.ecr.aws/docker/library/busybox:1.37`,
            memory: 128,
            essential: true,
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': `/ecs/${family}`,
                'awslogs-region': account.config.region,
                'awslogs-stream-prefix': 'ecs',
              },
            },
          },
        ],
      }),
    );
  }
  return cluster.cluster?.clusterArn as string;
}

export interface TaskStop {
  cluster: string;
  family: string;
  exitCode: number;
  /** The subnet of its ENI, when it ran in awsvpc mode. */
  subnetId?: string;
  /** What the container printed, oldest first. */
  logLines?: string[];
}

/** A task that ran and stopped, and its stop as EventBridge would have it. */
export interface StoppedTask {
  taskArn: string;
  taskId: string;
  family: string;
  entry: PutEventsRequestEntry;
}

/**
 * Runs a task of `family`, writes its container's log lines to its awslogs stream, stops it, and
 * builds its STOPPED event from DescribeTasks (moto's ECS emits none).
 */
export async function runAndStopTask(account: Account, stop: TaskStop): Promise<StoppedTask> {
  const { ecs, logs } = account.clients;
  const run = await ecs.send(
    new RunTaskCommand({
      cluster: stop.cluster,
      taskDefinition: stop.family,
      launchType: 'EC2',
      group: `family:${stop.family}`,
      tags: [{ key: 'suite', value: 'e2e' }],
    }),
  );
  const taskArn = run.tasks?.[0]?.taskArn;
  if (!taskArn) throw new Error(`RunTask placed no task of ${stop.family}: ${JSON.stringify(run.failures)}`);
  const taskId = taskArn.split('/').at(-1) as string;
  const now = Date.now();
  if (stop.logLines?.length) {
    const logGroupName = `/ecs/${stop.family}`;
    const logStreamName = `ecs/${CONTAINER}/${taskId}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName,
        logEvents: stop.logLines.map((message, i) => ({ timestamp: now - 5000 + i, message })),
      }),
    );
  }
  await ecs.send(
    new StopTaskCommand({
      cluster: stop.cluster,
      task: taskArn,
      reason: 'Essential container in task exited',
    }),
  );
  const described = await ecs.send(
    new DescribeTasksCommand({ cluster: stop.cluster, tasks: [taskArn], include: ['TAGS'] }),
  );
  const task = described.tasks?.[0];
  if (!task) throw new Error(`DescribeTasks does not know ${taskArn}`);
  const entry = stoppedTaskEvent(task, {
    exitCode: stop.exitCode,
    stoppedAt: new Date(now),
    ...(stop.subnetId ? { subnetId: stop.subnetId } : {}),
  });
  return { taskArn, taskId, family: stop.family, entry };
}
