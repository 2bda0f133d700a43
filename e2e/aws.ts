import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';

/** The region everything is deployed in. */
export const REGION = 'us-east-1';

/** The notifier's account, and the account of the clusters whose events a forwarder sends to it. */
export const NOTIFIER_ACCOUNT = '123456789012';
export const CLUSTER_ACCOUNT = '210987654321';

/** What every SDK client the e2e builds is given: moto's endpoint, the region, the credentials. */
export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: AwsCredentialIdentity;
  maxAttempts: number;
}

/** One account as the e2e acts in it: its ID, and the client settings and clients that reach it in moto. */
export interface Account {
  id: string;
  config: ClientConfig;
  clients: Clients;
}

/**
 * Credentials for `accountId` in moto: moto tells accounts apart by access key, and the key of a
 * role assumed through STS belongs to the role's account ("multi-account support" in moto's docs).
 * Any role ARN will do while access control is off.
 */
export async function accountIn(endpoint: string, accountId: string): Promise<Account> {
  const sts = new STSClient(clientConfig(endpoint, { accessKeyId: 'e2e', secretAccessKey: 'e2e' }));
  try {
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/e2e-operator`,
        RoleSessionName: 'e2e',
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
      throw new Error('AssumeRole returned no credentials');
    const config = clientConfig(endpoint, {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    return { id: accountId, config, clients: clientsFor(config) };
  } finally {
    sts.destroy();
  }
}

/** Client settings for moto with these credentials. */
export function clientConfig(endpoint: string, credentials: AwsCredentialIdentity): ClientConfig {
  return { endpoint, region: REGION, credentials, maxAttempts: 2 };
}

/** The variables a process (the CDK CLI, the handler) needs to reach moto as this principal. */
export function awsEnvironment(endpoint: string, credentials: AwsCredentialIdentity): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The SDK clients the e2e drives one account with, built once. */
export interface Clients {
  cloudformation: CloudFormationClient;
  dynamodb: DynamoDBClient;
  ec2: EC2Client;
  ecs: ECSClient;
  events: EventBridgeClient;
  iam: IAMClient;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  secrets: SecretsManagerClient;
  sqs: SQSClient;
  sts: STSClient;
  destroy(): void;
}

/** The clients of an account, or of any other principal's client settings. */
export function clientsFor(config: ClientConfig): Clients {
  const all = {
    cloudformation: new CloudFormationClient(config),
    dynamodb: new DynamoDBClient(config),
    ec2: new EC2Client(config),
    ecs: new ECSClient(config),
    events: new EventBridgeClient(config),
    iam: new IAMClient(config),
    lambda: new LambdaClient(config),
    logs: new CloudWatchLogsClient(config),
    secrets: new SecretsManagerClient(config),
    sqs: new SQSClient(config),
    sts: new STSClient(config),
  };
  return {
    ...all,
    destroy: () => {
      for (const client of Object.values(all)) client.destroy();
    },
  };
}
