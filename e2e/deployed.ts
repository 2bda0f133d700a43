import {
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { ENV } from '../lambda/environment.js';
import { bundleOfStackArtifact } from '../lib/deployed-bundle.js';
import type { Account } from './aws.js';

/** The notifier as CloudFormation created it in moto, and the code `cdk deploy` shipped. */
export interface DeployedNotifier {
  /** The `index.mjs` of the function's asset in the `cdk.out` the deploy wrote. */
  bundle: string;
  functionName: string;
  /** The function's variables, as Lambda (moto) holds them. */
  environment: Record<string, string>;
  memorySize: number;
  timeoutSeconds: number;
  roleName: string;
  tableName: string;
  /** The queue the event source mapping reads. */
  queueUrl: string;
  queueArn: string;
  /** Records per invocation, as the mapping is configured. */
  batchSize: number;
  reportsBatchItemFailures: boolean;
}

/**
 * Reads the deployed notifier stack: the function and its event source mapping from
 * CloudFormation, their settings from Lambda, the queue the mapping reads. Then turns moto's own
 * mapping off: moto would hand each message to its Lambda (in Docker); the e2e polls instead.
 */
export async function readDeployedNotifier(
  account: Account,
  stackName: string,
  outdir: string,
): Promise<DeployedNotifier> {
  const { cloudformation, lambda, sqs } = account.clients;
  const resources: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cloudformation.send(
      new ListStackResourcesCommand({ StackName: stackName, NextToken: token }),
    );
    resources.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  const one = (type: string) => {
    const found = resources.filter((r) => r.ResourceType === type);
    if (found.length !== 1 || !found[0]?.PhysicalResourceId)
      throw new Error(`expected one ${type} in stack ${stackName}, found ${found.length}`);
    return found[0].PhysicalResourceId;
  };
  const functionName = one('AWS::Lambda::Function');
  const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const mappingId = one('AWS::Lambda::EventSourceMapping');
  const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID: mappingId }));
  await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mappingId, Enabled: false }));
  const queueArn = mapping.EventSourceArn as string;
  const queue = await sqs.send(
    new GetQueueUrlCommand({ QueueName: queueArn.split(':').at(-1), QueueOwnerAWSAccountId: account.id }),
  );
  const environment = fn.Environment?.Variables ?? {};
  const artifact = new CloudAssembly(outdir).getStackArtifact(stackName);
  return {
    bundle: bundleOfStackArtifact(artifact).file,
    functionName,
    environment,
    memorySize: fn.MemorySize ?? 128,
    timeoutSeconds: fn.Timeout ?? 3,
    roleName: (fn.Role ?? '').split('/').at(-1) as string,
    tableName: environment[ENV.idempotencyTable] ?? '',
    queueUrl: queue.QueueUrl as string,
    queueArn,
    batchSize: mapping.BatchSize ?? 10,
    reportsBatchItemFailures: (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
  };
}

/** The status CloudFormation gives a stack of `account`, e.g. `CREATE_COMPLETE`. */
export async function stackStatus(account: Account, stackName: string): Promise<string> {
  const { Stacks = [] } = await account.clients.cloudformation.send(
    new DescribeStacksCommand({ StackName: stackName }),
  );
  return Stacks[0]?.StackStatus ?? 'missing';
}
