import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { type Account, type Clients, clientConfig, clientsFor } from './aws.js';
import { LABELS } from './config.js';
import type { RecordedRequest } from './moto.js';
import { expectThat } from './report.js';
import { deliver, postAbout, type World } from './scenario.js';
import { runAndStopTask } from './world.js';

/**
 * With moto's access control on, a failed stop in VPC B goes through as before, the handler running
 * as a principal holding only the deployed role's actions. moto checks the action of every call
 * (`service:Operation`) against the principal's policies, but checks resources only for SQS (every
 * other call is checked against `*`, which a statement scoped to ARNs never matches), so the
 * principal gets the role's actions on `*`. Returns which of the handler's calls moto checked.
 */
export async function checkAccessControl(world: World): Promise<string> {
  const { iam } = world.notifier.clients;
  const operator = await operatorAccount(world);
  const actions = await roleActions(iam, world.deployed.roleName);
  const credentials = await principalWithActions(world, actions);
  const principal = clientConfig(world.moto.url, credentials);
  const principalClients = clientsFor(principal);
  const tableItems = async () =>
    (await operator.clients.dynamodb.send(new ScanCommand({ TableName: world.deployed.tableName }))).Items
      ?.length ?? 0;
  const itemsBefore = await tableItems();

  await world.moto.startRecording();
  await world.moto.setAccessControl(true);
  try {
    const stop = await runAndStopTask(operator, {
      cluster: world.clusterNames.jobs,
      family: 'e2e-report',
      exitCode: 4,
      subnetId: world.networks.b.subnetId,
      logLines: ['checking access', 'Error: access check'],
    });
    const { invocation, posts } = await deliver(world, {
      from: operator,
      entries: [stop.entry],
      expected: 1,
      credentials,
      // The event source mapping polls with the function's role too.
      poller: { id: world.notifier.id, config: principal, clients: principalClients },
    });
    expectThat(invocation.failedIds.length === 0, 'the handler reported the record failed');
    const post = postAbout(posts, stop.taskId) ?? '';
    expectThat(posts.length === 1, `${posts.length} posts, expected one`);
    expectThat(post.includes('confirmed by DescribeTasks'), 'DescribeTasks did not confirm the task');
    expectThat(post.includes(LABELS.byVpc), 'the VPC lookup did not label the source');
    expectThat(post.includes('Error: access check'), 'the log tail is missing');
    expectThat((await tableItems()) === itemsBefore + 1, 'no new ledger item');
    const calls = signedCalls(await world.moto.recordedRequests(), credentials.accessKeyId);
    const denied = await deniedOutsideTheRole(principalClients);
    for (const needed of [
      'dynamodb:PutItem',
      'ec2:DescribeSubnets',
      'ecs:DescribeTaskDefinition',
      'ecs:DescribeTasks',
      'logs:GetLogEvents',
      'secretsmanager:GetSecretValue',
    ]) {
      expectThat(calls.includes(needed), `moto saw no ${needed} from the handler`);
    }
    const [mapping, handler] = partition(calls, (call) => call.startsWith('sqs:'));
    return `${actions.length} actions; allowed: handler ${handler.join(', ')}; mapping ${mapping.join(', ')}; denied ${denied}`;
  } finally {
    await world.moto.setAccessControl(false);
    principalClients.destroy();
    operator.clients.destroy();
  }
}

/** An IAM user allowed everything: the e2e's own calls once access control is on. */
async function operatorAccount(world: World): Promise<Account> {
  const { iam } = world.notifier.clients;
  const UserName = 'e2e-operator';
  await iam.send(new CreateUserCommand({ UserName }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName,
      PolicyName: 'everything',
      PolicyDocument: policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
    }),
  );
  const { AccessKey: key } = await iam.send(new CreateAccessKeyCommand({ UserName }));
  const config = clientConfig(world.moto.url, {
    accessKeyId: key?.AccessKeyId as string,
    secretAccessKey: key?.SecretAccessKey as string,
  });
  return { id: world.notifier.id, config, clients: clientsFor(config) };
}

/** Every action the deployed role's inline policies allow. */
async function roleActions(iam: IAMClient, roleName: string): Promise<string[]> {
  const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  const actions = new Set<string>();
  for (const PolicyName of PolicyNames) {
    const { PolicyDocument = '{}' } = await iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName }),
    );
    // IAM returns the document URL-encoded.
    const document = JSON.parse(decodeURIComponent(PolicyDocument)) as {
      Statement: { Effect: string; Action: string | string[] }[];
    };
    for (const statement of document.Statement.filter((s) => s.Effect === 'Allow'))
      for (const action of [statement.Action].flat()) actions.add(action);
  }
  expectThat(actions.size > 0, `role ${roleName} has no inline policy actions`);
  return [...actions].sort();
}

/** A role holding `actions` on `*`, assumed as Lambda assumes the function's role. */
async function principalWithActions(world: World, actions: string[]): Promise<AwsCredentialIdentity> {
  const { iam, sts } = world.notifier.clients;
  const RoleName = 'e2e-function-actions';
  const trust = policy([
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ]);
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName,
      PolicyName: 'function-role-actions',
      PolicyDocument: policy([{ Effect: 'Allow', Action: actions, Resource: '*' }]),
    }),
  );
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: Role?.Arn, RoleSessionName: world.deployed.functionName.slice(0, 64) }),
  );
  return {
    accessKeyId: c?.AccessKeyId as string,
    secretAccessKey: c?.SecretAccessKey as string,
    sessionToken: c?.SessionToken as string,
  };
}

/** A call the role does not allow, as the principal: moto must refuse it. */
async function deniedOutsideTheRole(principal: Clients): Promise<string> {
  try {
    await principal.ecs.send(new ListClustersCommand({}));
  } catch (error) {
    // moto answers a denied JSON-protocol call with IAM's XML error, which the SDK cannot parse:
    // its status tells the denial.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    expectThat(
      status === 403,
      `ecs:ListClusters failed with ${(error as Error).name} (HTTP ${status}), not 403`,
    );
    return 'ecs:ListClusters (HTTP 403)';
  }
  throw new Error('ecs:ListClusters was allowed to a principal without it');
}

/** `service:Operation` of each recorded request signed with `accessKeyId`, sorted, without repeats. */
export function signedCalls(requests: readonly RecordedRequest[], accessKeyId: string): string[] {
  const calls = new Set<string>();
  for (const request of requests) {
    const header = (name: string) =>
      Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
    const scope = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(header('authorization'));
    if (!scope || scope[1] !== accessKeyId) continue;
    const target = header('x-amz-target').split('.').at(-1);
    const body = request.body_encoded
      ? Buffer.from(request.body ?? '', 'base64').toString()
      : (request.body ?? '');
    const operation = target || new URLSearchParams(body).get('Action');
    if (operation) calls.add(`${scope[2]}:${operation}`);
  }
  return [...calls].sort();
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

function policy(Statement: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement });
}
