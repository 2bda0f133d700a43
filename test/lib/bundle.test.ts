import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findDeployedBundle } from '../../lib/deployed-bundle.js';
import { startSecretsManager } from '../support/aws-stand-ins.js';
import { type LocalDynamo, startDynamo } from '../support/dynalite.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';
import { synthNotifier, TWO_VPCS } from './synth.js';

const EVENT = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'fixtures/task-stopped-failed.json'), 'utf8'),
);
const TABLE = 'bundle-test-idempotency';

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
  const servers: { close(): Promise<void> }[] = [];
  let webhook: ScriptedServer;
  let ecs: ScriptedServer;
  let database: LocalDynamo | undefined;
  let env: NodeJS.ProcessEnv;
  let bundle: string;
  let outdir: string;

  beforeAll(async () => {
    const synth = synthNotifier(TWO_VPCS, { bundle: true });
    outdir = synth.app.outdir;
    const deployed = findDeployedBundle(synth.app, synth.notifier);
    bundle = deployed.file;

    webhook = await startScriptedServer([{ status: 200 }]);
    ecs = await startScriptedServer(() => ({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ tasks: [describedTask()], failures: [] }),
    }));
    const secrets = await startSecretsManager(TWO_VPCS.slackWebhookSecretArn, `${webhook.url}/hook`);
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
      AWS_ENDPOINT_URL_ECS: ecs.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
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
    const describedTasks = ecs.requests.map((request) => JSON.parse(request.body));
    const webhookBodies = webhook.requests.map((request) => JSON.parse(request.body));
    expect(describedTasks).toMatchObject([{ include: ['TAGS'], tasks: [EVENT.detail.taskArn] }]);
    expect(webhookBodies).toHaveLength(1);
    expect(JSON.stringify(webhookBodies[0])).toContain('nightly-report:42');
  });
});
