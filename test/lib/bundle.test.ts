import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { AssetManifestArtifact } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LocalDynamo, startDynamo } from '../support/dynalite.js';
import { type Synthesized, synthNotifier, TWO_VPCS } from './synth.js';

const EVENT = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'fixtures/task-stopped-failed.json'), 'utf8'),
);
const TABLE = 'bundle-test-idempotency';

/** An AWS JSON 1.1 endpoint answering the given `X-Amz-Target`s. */
function jsonRpcServer(targets: Record<string, (input: Record<string, unknown>) => unknown>): Server {
  return createServer(async (request, response) => {
    const handler = targets[String(request.headers['x-amz-target'])];
    const input = JSON.parse((await readBody(request)) || '{}');
    response.writeHead(handler ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(handler ? handler(input) : { __type: 'UnknownOperationException' }));
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The event's task as DescribeTasks returns it: timestamps in epoch seconds, tags included. */
function describedTask(): Record<string, unknown> {
  const detail = EVENT.detail as Record<string, unknown>;
  const epoch = (key: string) => Date.parse(detail[key] as string) / 1000;
  return {
    ...detail,
    createdAt: epoch('createdAt'),
    startedAt: epoch('startedAt'),
    stoppingAt: epoch('stoppingAt'),
    stoppedAt: epoch('stoppedAt'),
    attachments: [{ ...(detail.attachments as object[])[0], type: 'ElasticNetworkInterface' }],
    tags: [{ key: 'team', value: 'reporting' }],
  };
}

/** The Lambda code asset of the notifier function, as the stack's asset manifest places it. */
function deployedBundle(synth: Synthesized): { file: string; environment: Record<string, unknown> } {
  const functions = Object.values(synth.template.findResources('AWS::Lambda::Function'));
  expect(functions).toHaveLength(1);
  const properties = functions[0]?.Properties;
  const hash = String(properties.Code.S3Key).replace(/\.zip$/, '');
  const assembly = synth.app.synth();
  const manifest = assembly
    .getStackArtifact(synth.notifier.artifactId)
    .dependencies.find((artifact) => artifact instanceof AssetManifestArtifact) as AssetManifestArtifact;
  const source = manifest.contents.files?.[hash]?.source.path;
  expect(source).toBeDefined();
  const directory = path.resolve(path.dirname(manifest.file), source as string);
  return { file: path.join(directory, 'index.mjs'), environment: properties.Environment.Variables };
}

/** Imports the bundle in a fresh Node process and hands it one SQS batch; returns the handler's answer. */
async function invokeBundle(file: string, env: NodeJS.ProcessEnv, batch: unknown): Promise<unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-test-'));
  const eventFile = path.join(dir, 'event.json');
  const resultFile = path.join(dir, 'result.json');
  writeFileSync(eventFile, JSON.stringify(batch));
  const script = `
    import { readFileSync, writeFileSync } from 'node:fs';
    const [bundle, eventFile, resultFile] = process.argv.slice(1);
    const { handler } = await import(bundle);
    const context = { getRemainingTimeInMillis: () => 30000, awsRequestId: 'bundle-test' };
    writeFileSync(resultFile, JSON.stringify(await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context)));
  `;
  try {
    await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(file).href, eventFile, resultFile],
      { env, timeout: 30_000 },
    );
  } catch (error) {
    // Node echoes the failing line of a minified bundle: keep only the readable lines.
    const stderr = String((error as { stderr?: unknown }).stderr ?? error);
    const readable = stderr.split('\n').filter((line) => line.trim() && line.length < 400);
    throw new Error(`the bundle failed:\n${readable.slice(0, 8).join('\n')}`);
  }
  return JSON.parse(readFileSync(resultFile, 'utf8'));
}

describe('the Lambda bundle the stack deploys', () => {
  const servers: Server[] = [];
  const webhookBodies: unknown[] = [];
  const describedTasks: unknown[] = [];
  let database: LocalDynamo | undefined;
  let env: NodeJS.ProcessEnv;
  let bundle: string;
  let outdir: string;

  beforeAll(async () => {
    const synth = synthNotifier(TWO_VPCS, { bundle: true });
    outdir = synth.app.outdir;
    const deployed = deployedBundle(synth);
    bundle = deployed.file;

    const webhook = createServer(async (request, response) => {
      webhookBodies.push(JSON.parse(await readBody(request)));
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
    const ecs = jsonRpcServer({
      'AmazonEC2ContainerServiceV20141113.DescribeTasks': (input) => {
        describedTasks.push(input);
        return { tasks: [describedTask()], failures: [] };
      },
    });
    const hookUrl = `${await listen(webhook)}/hook`;
    const secrets = jsonRpcServer({
      'secretsmanager.GetSecretValue': (input) => ({
        ARN: input.SecretId,
        Name: 'ecs-task-notifier/slack-webhook',
        SecretString: hookUrl,
        VersionId: 'v1',
      }),
    });
    servers.push(webhook, ecs, secrets);

    database = await startDynamo(TABLE);
    const dynamoUrl = database.endpoint;

    env = {
      PATH: process.env.PATH,
      // The function's own environment, as synthesized; the table name is a deploy-time Ref.
      ...Object.fromEntries(
        Object.entries(deployed.environment).filter(([, value]) => typeof value === 'string'),
      ),
      IDEMPOTENCY_TABLE_NAME: TABLE,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_ECS: await listen(ecs),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: await listen(secrets),
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });

  afterAll(async () => {
    for (const server of servers) server.close();
    await database?.close();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  test('is an ESM file carrying the createRequire banner', () => {
    expect(readFileSync(bundle, 'utf8').slice(0, 200)).toContain('createRequire(import.meta.url)');
  });

  test('loads and posts one Slack message naming family:revision for a stopped task', async () => {
    const batch = {
      Records: [
        {
          messageId: '3f1c2b7a-0000-4000-8000-000000000001',
          receiptHandle: 'AQEB-bundle-test',
          body: JSON.stringify(EVENT),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '1749698415000',
            SenderId: 'AIDAEXAMPLE',
            ApproximateFirstReceiveTimestamp: '1749698415100',
          },
          messageAttributes: {},
          md5OfBody: '0',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:EcsTaskNotifier-EventQueue',
          awsRegion: 'us-east-1',
        },
      ],
    };

    const result = await invokeBundle(bundle, env, batch);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(describedTasks).toMatchObject([{ include: ['TAGS'], tasks: [EVENT.detail.taskArn] }]);
    expect(webhookBodies).toHaveLength(1);
    expect(JSON.stringify(webhookBodies[0])).toContain('nightly-report:42');
  });
});
