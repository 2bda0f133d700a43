import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../local/http.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import {
  startEcs,
  startFailingAws,
  startSecretsManager,
  startSqs,
  toWire,
} from '../support/aws-stand-ins.js';
import { loadEvent, loadFixture } from '../support/fixtures.js';
import { AWS_TEST_ENV, coldStart, printed } from '../support/handler-harness.js';
import type { ScriptedServer } from '../support/scripted-server.js';
import { lambdaContext, sqsBatch } from '../support/sqs.js';

const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs-task-notifier/slack-webhook-AbCdEf';
/** A second secret, holding the URL as JSON: `{"url": "…"}`. */
const JSON_SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecs-task-notifier/json-form-XyZ123';
const CONFIG = loadFixture('config/two-vpcs.json');
const saved = (name: string) =>
  loadFixture<{ tasks: Record<string, unknown>[] }>(`describe-tasks/${name}.json`).tasks;

let sink: SlackSink;
let ecs: RunningServer;
let secrets: ScriptedServer;

beforeAll(async () => {
  sink = await startSlackSink({ port: 0 });
  ecs = await startEcs([...saved('cli-v2-fargate'), ...saved('cli-v1-epoch-ec2')].map(toWire));
  secrets = await startSecretsManager(SECRET_ARN, `${sink.hookUrl}/T000/B000/secret-token-in-url`, {
    [JSON_SECRET_ARN]: JSON.stringify({ url: `${sink.hookUrl}/json-form` }),
  });
});

afterAll(async () => {
  await Promise.all([sink?.close(), ecs?.close(), secrets?.close()]);
});

beforeEach(() => {
  sink.setFailure(null);
});

function handlerEnv(extra: Record<string, string | undefined> = {}) {
  return coldStart({
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    NOTIFIER_CONFIG: JSON.stringify(CONFIG),
    SLACK_WEBHOOK_SECRET_ARN: SECRET_ARN,
    SLACK_WEBHOOK_URL: undefined,
    SLACK_RATE_PER_SECOND: '1000',
    IDEMPOTENCY_TABLE_NAME: undefined,
    ...extra,
  });
}

function received(from = 0) {
  return sink
    .messages()
    .slice(from)
    .map((m) => m.payload as { text: string });
}

describe('handler, end to end against loopback ECS, Secrets Manager and Slack', () => {
  it('turns an SQS batch from both VPCs into one message each, cross-checked with DescribeTasks', async () => {
    const { handler } = await handlerEnv();
    const before = sink.messages().length;
    const response = await handler(
      sqsBatch([loadEvent('fargate-stopped-succeeded'), loadEvent('ec2-stopped-failed')]),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    const texts = received(before).map((m) => m.text);
    expect(texts).toEqual([
      ':white_check_mark: nightly-report:42 succeeded in batch (vpc-a) · 10m 10s',
      ':x: customer-import:7 failed in batch (vpc-b): import exited with an error (exit 1): CannotPullContainerError: none',
    ]);
    const all = JSON.stringify(received(before));
    expect(all).toMatch(/Task definition mismatch.*DescribeTasks says.*customer-import:8/);
    expect(all).toContain('|task 0f1e2d3c>');
  });

  it('accepts a bare EventBridge event, as a direct or local invoke sends it', async () => {
    const { handler } = await handlerEnv();
    const event = loadEvent('fargate-stopped-succeeded');
    event.detail.taskArn = 'arn:aws:ecs:eu-west-1:111122223333:task/batch-a/11111111111111111111111111111111';
    expect(await handler(event as never, lambdaContext())).toEqual({ status: 'notified' });
    expect(JSON.stringify(received(sink.messages().length - 1))).toContain(
      'DescribeTasks no longer knows this task',
    );
  });

  it('notifies a task stop delivered twice only once, in one batch and across invocations', async () => {
    const { handler } = await handlerEnv();
    const before = sink.messages().length;
    const event = loadEvent('ec2-stopped-failed');
    const first = await handler(sqsBatch([event, event]), lambdaContext());
    const second = await handler(sqsBatch([event]), lambdaContext());
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(received(before)).toHaveLength(1);
  });

  it('reports a record that is not JSON as a batch item failure and still delivers the others', async () => {
    const { handler } = await handlerEnv();
    const batch = sqsBatch(['{not json', loadEvent('fargate-stopped-succeeded')]);
    const response = await handler(batch, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[0]?.messageId }] });
  });

  it('reads a secret that holds JSON with a "url" key', async () => {
    const { handler } = await handlerEnv({ SLACK_WEBHOOK_SECRET_ARN: JSON_SECRET_ARN });
    const before = sink.messages().length;
    const response = await handler(sqsBatch([loadEvent('ec2-stopped-failed')]), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(
      sink
        .messages()
        .slice(before)
        .map((m) => m.path),
    ).toEqual(['/hook/json-form']);
  });

  it('sends every record of a route whose secret cannot be read back to the queue, naming the secret', async () => {
    const { handler } = await handlerEnv({
      SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:missing-AbCdEf',
    });
    const batch = sqsBatch([loadEvent('fargate-stopped-succeeded'), loadEvent('ec2-stopped-failed')]);
    const from = printed.length;
    const response = await handler(batch, lambdaContext());
    expect(response).toEqual({
      batchItemFailures: batch.Records.map((r) => ({ itemIdentifier: r.messageId })),
    });
    expect(printed.slice(from).join('')).toContain(
      'could not read secret arn:aws:secretsmanager:eu-west-1:111122223333:secret:missing-AbCdEf',
    );
  });

  it('fails the whole batch at cold start when the configuration is invalid, naming the key', async () => {
    const { handler } = await handlerEnv({ NOTIFIER_CONFIG: JSON.stringify({ notifyOn: ['STOPED'] }) });
    await expect(
      handler(sqsBatch([loadEvent('fargate-stopped-succeeded')]), lambdaContext()),
    ).rejects.toThrow('NOTIFIER_CONFIG.notifyOn[0] expected one of');
  });
});

describe('handler under faults: what goes in comes out as messages, skips or batch item failures', () => {
  const stopped = (i: number) => {
    const event = loadEvent('fargate-stopped-succeeded');
    event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${String(i).padStart(32, 'a')}`;
    return event;
  };
  let n = 100;

  async function run(
    fault: () => void,
    extra: Record<string, string | undefined> = {},
    remainingMs = 60_000,
  ) {
    const { handler } = await handlerEnv(extra);
    const events = [stopped(n++), stopped(n++), loadEvent('container-instance-change')];
    const before = sink.messages().length;
    fault();
    const response = (await handler(sqsBatch(events), lambdaContext(remainingMs))) as {
      batchItemFailures: unknown[];
    };
    const messages = received(before);
    const accounted = messages.length + 1 /* the skip */ + response.batchItemFailures.length;
    return { messages, failures: response.batchItemFailures.length, accounted, total: events.length };
  }

  it.each([
    ['429 with Retry-After', { status: 429, retryAfter: 1, times: 1 }],
    ['429 with Retry-After 0', { status: 429, retryAfter: 0, times: 1 }],
    ['500 once', { status: 500, times: 1 }],
  ])('a transient Slack %s is waited out and both messages go through', async (_, mode) => {
    const result = await run(() => sink.setFailure(mode));
    expect(result).toMatchObject({ failures: 0, accounted: result.total });
    expect(result.messages).toHaveLength(2);
  });

  it.each([
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [410, 'channel_is_archived'],
  ])('a permanent %i fails its records to the DLQ without a retry loop', async (status) => {
    const result = await run(() => sink.setFailure({ status, times: 2 }));
    expect(result).toMatchObject({ failures: 2, accounted: result.total });
    expect(result.messages).toHaveLength(0);
  });

  it.each([301, 302, 307])(
    'a %i redirect from Slack is no delivery: the records go back to the queue',
    async (status) => {
      const result = await run(() => sink.setFailure({ status, times: 2 }));
      expect(result).toMatchObject({ failures: 2, accounted: result.total });
      expect(result.messages).toHaveLength(0);
    },
  );

  it('a record whose ARN region holds a lone surrogate fails alone: its neighbours are delivered', async () => {
    const { handler } = await handlerEnv();
    const bad = stopped(n++);
    bad.detail.taskArn = `arn:aws:ecs:eu-west-1\ud800:111122223333:task/batch-a/${'b'.repeat(32)}`;
    const batch = sqsBatch([stopped(n++), bad, stopped(n++)]);
    const before = sink.messages().length;

    const response = await handler(batch, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[1]?.messageId }] });
    expect(received(before)).toHaveLength(2);
  });

  it('invalid_payload falls back once to plain text', async () => {
    const result = await run(() => sink.setFailure({ status: 400, times: 1 }));
    expect(result).toMatchObject({ failures: 0, accounted: result.total });
    expect(result.messages[0]).not.toHaveProperty('attachments');
    expect(result.messages[0]?.text).toContain('nightly-report:42 succeeded');
  });

  it('Slack failing past the time left sends the records back to the queue', async () => {
    const result = await run(() => sink.setFailure({ status: 503, times: 100 }), {}, 4000);
    expect(result).toMatchObject({ failures: 2, accounted: result.total });
  });

  it.each(['ThrottlingException', 'AccessDeniedException'])(
    'ECS answering %s still notifies, marked unverified',
    async (type) => {
      const failing = await startFailingAws(type);
      try {
        const result = await run(() => undefined, { AWS_ENDPOINT_URL_ECS: failing.url });
        expect(result).toMatchObject({ failures: 0, accounted: result.total });
        expect(JSON.stringify(result.messages)).toContain(`unverified: DescribeTasks unavailable (${type}`);
      } finally {
        await failing.close();
      }
    },
  );

  it('never prints the webhook URL in any log line, even when Slack refuses', async () => {
    const from = printed.length;
    await run(() => sink.setFailure({ status: 404, times: 2 }));
    const logged = printed.slice(from).join('');
    expect(logged).toContain('"level":"ERROR"');
    expect(logged).not.toContain('secret-token-in-url');
  });
});

describe('handler holding failed records back in the queue', () => {
  const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/ecs-task-notifier-events';
  let sqs: ScriptedServer;
  beforeAll(async () => {
    sqs = await startSqs();
  });
  afterAll(async () => {
    await sqs?.close();
  });

  const visibilityCalls = () =>
    sqs.requests.map(
      (r) =>
        JSON.parse(r.body) as {
          QueueUrl: string;
          Entries: { ReceiptHandle: string; VisibilityTimeout: number }[];
        },
    );

  it.each([
    [1, 60],
    [4, 480],
    [12, 7200],
  ])(
    'gives a record Slack could not take on its receive %i a wait of %i s before the next',
    async (receives, wait) => {
      const { handler } = await handlerEnv({ EVENT_QUEUE_URL: QUEUE_URL, AWS_ENDPOINT_URL_SQS: sqs.url });
      sink.setFailure({ status: 503, times: 100 });
      const event = loadEvent('fargate-stopped-succeeded');
      event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${String(receives).padStart(32, 'f')}`;
      const from = sqs.requests.length;

      const response = await handler(sqsBatch([event], receives), lambdaContext(4000));

      expect(response).toMatchObject({ batchItemFailures: [{}] });
      expect(visibilityCalls().slice(from)).toEqual([
        { QueueUrl: QUEUE_URL, Entries: [{ Id: '0', ReceiptHandle: 'r-0', VisibilityTimeout: wait }] },
      ]);
    },
  );

  it('sends a record no retry can fix round again at once, and holds back nothing delivered', async () => {
    const { handler } = await handlerEnv({ EVENT_QUEUE_URL: QUEUE_URL, AWS_ENDPOINT_URL_SQS: sqs.url });
    const from = sqs.requests.length;

    await handler(sqsBatch(['{not json', loadEvent('ec2-stopped-failed')], 3), lambdaContext());

    expect(visibilityCalls().slice(from)).toEqual([
      { QueueUrl: QUEUE_URL, Entries: [{ Id: '0', ReceiptHandle: 'r-0', VisibilityTimeout: 0 }] },
    ]);
  });
});
