import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEPLOY_ONLY_SHAPE } from '../../lib/deploy-schema.js';
import { findDeployedBundle } from '../../lib/deployed-bundle.js';
import { type LogsApi, startLogsApi } from '../../local/logs-api.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { startSecretsManager } from '../support/aws-stand-ins.js';
import { type LocalDynamo, startDynamo } from '../support/dynalite.js';
import { invokeBundle } from '../support/invoke-bundle.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';
import { synthNotifier, TWO_VPCS } from './synth.js';

const EVENT = JSON.parse(
  readFileSync(path.join(import.meta.dirname, 'fixtures/task-stopped-failed.json'), 'utf8'),
);
const TABLE = 'bundle-test-idempotency';
const TASK_ID = '5c9d2e7f1a3b4c6d8e0f1a2b3c4d5e6f';

/** The same task definition's next run, which succeeded. */
const SUCCEEDED = JSON.parse(
  JSON.stringify(EVENT)
    .replaceAll(TASK_ID, '6d0e3f8a2b4c5d7e9f1a2b3c4d5e6f70')
    .replace('"exitCode":1', '"exitCode":0'),
);

/** nightly-report:42 as DescribeTaskDefinition returns it: its container logs with awslogs. */
const TASK_DEFINITION = {
  taskDefinitionArn: EVENT.detail.taskDefinitionArn,
  family: 'nightly-report',
  revision: 42,
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    {
      name: 'report',
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/nightly-report:3.2.0',
      essential: true,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/nightly-report', 'awslogs-stream-prefix': 'ecs' },
      },
    },
  ],
};

/** The event's task as DescribeTasks returns it: timestamps in epoch seconds, tags included. */
function describedTask(event: typeof EVENT = EVENT): Record<string, unknown> {
  const detail = event.detail as Record<string, unknown>;
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

describe('the Lambda bundle the stack deploys', () => {
  const servers: { close(): Promise<void> }[] = [];
  let webhook: ScriptedServer;
  let ecs: ScriptedServer;
  let logs: LogsApi;
  let database: LocalDynamo | undefined;
  let env: NodeJS.ProcessEnv;
  let bundle: string;
  let outdir: string;

  beforeAll(async () => {
    const synth = synthNotifier({ ...TWO_VPCS, logGroups: ['/ecs/nightly-*'] }, { bundle: true });
    outdir = synth.app.outdir;
    const deployed = findDeployedBundle(synth.app, synth.notifier);
    bundle = deployed.file;

    webhook = await startScriptedServer([{ status: 200 }]);
    // DescribeTasks names `tasks`, DescribeTaskDefinition `taskDefinition`.
    ecs = await startScriptedServer(({ body }) => ({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(
        'taskDefinition' in JSON.parse(body)
          ? { taskDefinition: TASK_DEFINITION }
          : { tasks: [describedTask(), describedTask(SUCCEEDED)], failures: [] },
      ),
    }));
    logs = await startLogsApi({
      streams: [
        {
          group: '/ecs/nightly-report',
          stream: `ecs/report/${TASK_ID}`,
          events: [
            { timestamp: Date.parse('2025-06-12T03:19:58Z'), message: 'rendering 14 pages <!channel>' },
            { timestamp: Date.parse('2025-06-12T03:20:01Z'), message: 'Error: template "summary" not found' },
          ],
        },
      ],
    });
    const secrets = await startSecretsManager(TWO_VPCS.slackWebhookSecretArn, `${webhook.url}/hook`);
    servers.push(webhook, ecs, logs, secrets);

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
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url,
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

  test('posts a message per task naming family:revision, the failed one with its log link and last lines', async () => {
    const record = (event: unknown, n: number) => ({
      messageId: `3f1c2b7a-0000-4000-8000-00000000000${n}`,
      receiptHandle: `AQEB-bundle-test-${n}`,
      body: JSON.stringify(event),
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
    });
    const batch = { Records: [record(EVENT, 1), record(SUCCEEDED, 2)] };

    const { result } = await invokeBundle(bundle, batch, { env });

    expect(result).toEqual({ batchItemFailures: [] });
    const targets = ecs.requests.map((request) => String(request.headers['x-amz-target']).split('.')[1]);
    expect(targets.sort()).toEqual(['DescribeTaskDefinition', 'DescribeTasks']);
    const describedTasks = ecs.requests.flatMap((request) => {
      const body = JSON.parse(request.body);
      return 'tasks' in body ? [body] : [];
    });
    expect(describedTasks).toMatchObject([
      { include: ['TAGS'], tasks: [EVENT.detail.taskArn, SUCCEEDED.detail.taskArn] },
    ]);
    // One read, for the failed task only.
    expect(logs.requests).toMatchObject([
      {
        operation: 'GetLogEvents',
        input: {
          logGroupName: '/ecs/nightly-report',
          logStreamName: `ecs/report/${TASK_ID}`,
          startFromHead: false,
        },
      },
    ]);
    const [failed, succeeded] = webhook.requests.map((request) => JSON.stringify(JSON.parse(request.body)));
    expect(webhook.requests).toHaveLength(2);
    expect(failed).toContain('nightly-report:42');
    expect(failed).toContain('Error: template \\"summary\\" not found');
    expect(failed).toContain(
      `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fnightly-report/log-events/ecs$252Freport$252F${TASK_ID}|log stream>`,
    );
    // A success is one line by default: no log links, no tail.
    expect(succeeded).toContain('nightly-report:42 succeeded');
    expect(succeeded).not.toContain('Last log lines');
  });
});

describe('the deployed bundle in app mode', () => {
  const BOT = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/slack-bot-B0tT0k';
  const TOKEN = 'xoxb-1111-2222-bundletoken';
  let sink: SlackSink | undefined;
  let secrets: ScriptedServer | undefined;
  let outdir: string | undefined;

  afterAll(async () => {
    await Promise.all([sink?.close(), secrets?.close()]);
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  test("posts to a route's channel through the Web API, with the bot token read from its secret", async () => {
    const { slackWebhookSecretArn: _, ...withoutWebhook } = TWO_VPCS;
    const synth = synthNotifier(
      { ...withoutWebhook, slackBotTokenSecretArn: BOT, slackChannel: 'C0DEFAULT1' },
      { bundle: true },
    );
    outdir = synth.app.outdir;
    const deployed = findDeployedBundle(synth.app, synth.notifier);
    sink = await startSlackSink({ tokens: [TOKEN], channels: ['C0DEFAULT1'] });
    secrets = await startSecretsManager(BOT, JSON.stringify({ token: TOKEN }));
    const { result, stdout, stderr } = await invokeBundle(deployed.file, EVENT, {
      env: {
        PATH: process.env.PATH,
        ...Object.fromEntries(Object.entries(deployed.environment).filter(([, v]) => typeof v === 'string')),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:1234',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // The API is the sink's, the token still the secret's.
        SLACK_API_URL: sink.apiUrl,
      },
    });
    expect(result).toMatchObject({ status: 'notified' });
    expect(sink.messages()).toMatchObject([{ channel: 'C0DEFAULT1', ts: expect.any(String) }]);
    expect(JSON.stringify(sink.messages()[0]?.payload)).toContain('nightly-report:42');
    expect(stdout + stderr).not.toContain('bundletoken');
  });
});

describe('the deployed bundle with 200 sources and 50 routes', () => {
  const secretOf = (name: string) =>
    `arn:aws:secretsmanager:us-east-1:123456789012:secret:ecs-task-notifier/${name}-Ab12Cd`;
  const sources = Array.from({ length: 200 }, (_, i) => ({
    label: `batch-${i} (vpc-${i % 2 ? 'b' : 'a'})`,
    clusterArn: `arn:aws:ecs:us-east-1:123456789012:cluster/batch-${i}`,
    vpcId: `vpc-0${(i % 2) + 1}${String(i).padStart(3, '0')}`,
  }));
  const routes = Array.from({ length: 50 }, (_, i) => ({
    name: `team-${i}`,
    match: { sources: [sources[i * 4]?.label as string], outcomes: ['failed'] },
    webhookSecretArn: secretOf(`team-${i}`),
    mention: { users: [`U0${String(i).padStart(8, '0')}`] },
  }));
  let webhook: ScriptedServer;
  let secrets: ScriptedServer;
  let outdir: string | undefined;

  afterAll(async () => {
    await Promise.all([webhook?.close(), secrets?.close()]);
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  test('deploys, and loads its configuration from the file in its code at cold start', async () => {
    const synth = synthNotifier(
      { ...TWO_VPCS, sources, routes, slackWebhookSecretArn: secretOf('default') },
      { bundle: true },
    );
    outdir = synth.app.outdir;
    const deployed = findDeployedBundle(synth.app, synth.notifier);
    // Lambda allows 4 KB of variables in all; the configuration is nowhere near them.
    expect(JSON.stringify(deployed.environment).length).toBeLessThan(1024);
    const shipped = JSON.parse(
      readFileSync(path.join(path.dirname(deployed.file), 'notifier-config.json'), 'utf8'),
    );
    expect([shipped.sources.length, shipped.routes.length]).toEqual([200, 50]);
    // Only what the function reads at run time: the deploy-only keys stay with the deployment.
    expect(Object.keys(shipped).filter((key) => key in DEPLOY_ONLY_SHAPE)).toEqual([]);

    webhook = await startScriptedServer([{ status: 200 }]);
    secrets = await startSecretsManager(
      secretOf('default'),
      `${webhook.url}/default`,
      Object.fromEntries(routes.map((r) => [r.webhookSecretArn, `${webhook.url}/${r.name}`])),
    );
    // A failed stop in batch-8: team-2's, and no other route's.
    const event = JSON.parse(
      JSON.stringify(EVENT)
        .replaceAll(EVENT.detail.clusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/batch-8')
        .replaceAll('/batch-a/', '/batch-8/'),
    );
    const { result } = await invokeBundle(deployed.file, event, {
      env: {
        PATH: process.env.PATH,
        ...deployed.environment,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        // No ECS and no table here: the cross-check is unavailable, the ledger in memory.
        AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:9',
        IDEMPOTENCY_TABLE_NAME: '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });

    expect(result).toMatchObject({ status: 'notified' });
    expect(webhook.requests.map((r) => r.path)).toEqual(['/team-2']);
    expect(JSON.parse(webhook.requests[0]?.body ?? '{}').text).toMatch(/^<@U000000002> /);
  });
});
