import path from 'node:path';
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsCredentialIdentity } from '@smithy/types';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV } from '../lambda/environment.js';
import { invokeBundle } from '../test/support/invoke-bundle.js';
import { awsEnvironment, REGION } from './aws.js';
import type { DeployedNotifier } from './deployed.js';

/** One structured log line of the handler. */
export type LogLine = Record<string, unknown> & { message?: string; level?: string };

/** What one turn of the event source mapping did. */
export interface Invocation {
  records: SQSRecord[];
  /** The message IDs the handler reported failed; those stay in the queue. */
  failedIds: string[];
  logs: LogLine[];
  /** Everything the handler printed, for the check that no secret is among it. */
  output: string;
}

export interface PollerOptions {
  repo: string;
  endpoint: string;
  deployed: DeployedNotifier;
  /** Whom the handler runs as. */
  credentials: AwsCredentialIdentity;
  /** Who polls and deletes: the event source mapping, which uses the function's role. */
  sqs: SQSClient;
  /** Slack's Web API, for the routes that post to a channel: the sink's. */
  slackApiUrl: string;
}

/**
 * The SQS event source mapping's part: receives what the queue holds (up to the mapping's batch
 * size, 10 a receive), hands it to the deployed bundle as one batch, and deletes the records the
 * handler did not report failed (`ReportBatchItemFailures`). Waits up to `waitMs` for `expected`
 * messages; throws when fewer came.
 */
export async function pollOnce(
  options: PollerOptions,
  expected: number,
  waitMs = 10_000,
): Promise<Invocation> {
  const { deployed, sqs } = options;
  const messages: Message[] = [];
  const deadline = Date.now() + waitMs;
  while (messages.length < expected && Date.now() < deadline) {
    const answer = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deployed.queueUrl,
        MaxNumberOfMessages: Math.min(10, deployed.batchSize, expected - messages.length),
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    messages.push(...(answer.Messages ?? []));
  }
  if (messages.length < expected)
    throw new Error(`the queue gave ${messages.length} of ${expected} messages within ${waitMs / 1000} s`);
  const event: SQSEvent = { Records: messages.map((m) => toRecord(m, deployed.queueArn)) };
  const { result, stdout, stderr } = await invokeBundle(deployed.bundle, event, {
    env: functionEnvironment(options),
    // The runtime's SDK: modules the bundle leaves out (client-ec2) come from the project's own.
    nodePath: [path.join(options.repo, 'node_modules')],
    timeoutMs: deployed.timeoutSeconds * 1000,
  });
  const failedIds = ((result as SQSBatchResponse | null)?.batchItemFailures ?? []).map(
    (f) => f.itemIdentifier,
  );
  const done = event.Records.filter((r) => !failedIds.includes(r.messageId));
  if (!deployed.reportsBatchItemFailures && failedIds.length > 0)
    throw new Error('the handler reported item failures, but the mapping does not read them');
  // One DeleteMessage each: the call the function's role allows the mapping (sqs:DeleteMessage).
  await Promise.all(
    done.map((r) =>
      sqs.send(new DeleteMessageCommand({ QueueUrl: deployed.queueUrl, ReceiptHandle: r.receiptHandle })),
    ),
  );
  const output = `${stdout}\n${stderr}`;
  return { records: event.Records, failedIds, logs: parseLogs(output), output };
}

/** The function's variables as deployed, what the Lambda runtime adds, and moto as AWS. */
function functionEnvironment(options: PollerOptions): NodeJS.ProcessEnv {
  const { deployed } = options;
  return {
    PATH: process.env.PATH,
    ...deployed.environment,
    AWS_LAMBDA_FUNCTION_NAME: deployed.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(deployed.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    TZ: ':UTC',
    // The one variable not deployed: the token still comes from its secret, through the role's grant.
    [ENV.apiUrl]: options.slackApiUrl,
    ...awsEnvironment(options.endpoint, options.credentials),
  };
}

/** A received message as the event source mapping hands it to the function. */
function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '0',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: REGION,
  };
}

function parseLogs(output: string): LogLine[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}
