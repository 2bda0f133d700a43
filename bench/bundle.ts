import { statSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { CREATE_REQUIRE_BANNER } from '../lib/notifier-function.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The esbuild options `NodejsFunction` passes for the notifier (lib/notifier-function.ts: ESM,
 * minified, source map without sources, target node22, module/main fields, the createRequire
 * banner, the EC2 client external), so the baseline and the SDK floor are built the same way.
 */
const STACK_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  external: ['@aws-sdk/client-ec2'],
  mainFields: ['module', 'main'],
  banner: { js: CREATE_REQUIRE_BANNER },
  logLevel: 'warning',
  absWorkingDir: REPO_ROOT,
};

/** Bundles `entry` (a file, or source text resolved from the repository root) into `outdir/index.mjs`. */
export async function bundleLikeTheStack(
  entry: { file: string } | { contents: string },
  outdir: string,
): Promise<{ file: string; bytes: number }> {
  const file = path.join(outdir, 'index.mjs');
  await build({
    ...STACK_OPTIONS,
    outfile: file,
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : {
          stdin: {
            contents: entry.contents,
            resolveDir: REPO_ROOT,
            loader: 'js',
            sourcefile: 'sdk-floor.js',
          },
        }),
  });
  return { file, bytes: statSync(file).size };
}

/**
 * The SDK floor: the AWS SDK clients the Lambda uses (ECS, Secrets Manager, DynamoDB, CloudWatch
 * Logs, SQS) and the STS credentials of other accounts' reader roles, whole, as the issue
 * measured its planning figures ("the ECS client alone is about 545 KB").
 */
export const SDK_FLOOR_SOURCE = `
export * from '@aws-sdk/client-ecs';
export * from '@aws-sdk/client-secrets-manager';
export * from '@aws-sdk/client-dynamodb';
export * from '@aws-sdk/client-cloudwatch-logs';
export * from '@aws-sdk/client-sqs';
export { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
`;

/**
 * A stricter floor: only the SDK calls the Lambda makes (DescribeTasks, DescribeTaskDefinition,
 * GetSecretValue, GetLogEvents, ChangeMessageVisibilityBatch, AssumeRole through the temporary
 * credentials, and the four DynamoDB item calls of the idempotency records), everything else
 * shaken out.
 */
export const SDK_COMMANDS_FLOOR_SOURCE = `
export { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
export { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
export { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
export { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
`;

export interface BundleFigures {
  bytes: number;
  sdkFloorBytes: number;
  ratio: number;
  sdkCommandsFloorBytes: number;
  commandsRatio: number;
  /** `lambda/handler.ts` rebuilt with the bench's options: equal to `bytes` when they match the stack's. */
  rebuiltBytes: number;
}

/** The deployed bundle's size against the SDK floor, both built in this run. */
export async function measureBundle(deployedFile: string, outdir: string): Promise<BundleFigures> {
  const bytes = statSync(deployedFile).size;
  const floor = await bundleLikeTheStack({ contents: SDK_FLOOR_SOURCE }, path.join(outdir, 'sdk-floor'));
  const commands = await bundleLikeTheStack(
    { contents: SDK_COMMANDS_FLOOR_SOURCE },
    path.join(outdir, 'sdk-commands-floor'),
  );
  const rebuilt = await bundleLikeTheStack(
    { file: path.join(REPO_ROOT, 'lambda/handler.ts') },
    path.join(outdir, 'handler-rebuilt'),
  );
  return {
    bytes,
    sdkFloorBytes: floor.bytes,
    ratio: bytes / floor.bytes,
    sdkCommandsFloorBytes: commands.bytes,
    commandsRatio: bytes / commands.bytes,
    rebuiltBytes: rebuilt.bytes,
  };
}
