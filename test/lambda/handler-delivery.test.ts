import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../local/http.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { startEcs, startSecretsManager } from '../support/aws-stand-ins.js';
import { type LocalDynamo, startDynamo } from '../support/dynalite.js';
import { loadEvent } from '../support/fixtures.js';
import { AWS_TEST_ENV, coldStart, printed } from '../support/handler-harness.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';
import { lambdaContext, sqsBatch } from '../support/sqs.js';

const TABLE = 'notifier-idempotency';
let sink: SlackSink;
let ecs: RunningServer;
let dynamo: LocalDynamo;

beforeAll(async () => {
  [sink, ecs, dynamo] = await Promise.all([startSlackSink({ port: 0 }), startEcs([]), startDynamo(TABLE)]);
});

afterAll(async () => {
  await Promise.all([sink?.close(), ecs?.close(), dynamo?.close()]);
});

function env(webhookUrl: string) {
  return {
    ...AWS_TEST_ENV,
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    NOTIFIER_CONFIG: JSON.stringify({}),
    SLACK_WEBHOOK_SECRET_ARN: undefined,
    SLACK_WEBHOOK_URL: webhookUrl,
    SLACK_RATE_PER_SECOND: '1000',
    IDEMPOTENCY_TABLE_NAME: TABLE,
  };
}

function stopped(id: number) {
  const event = loadEvent('ec2-stopped-failed');
  event.detail.taskArn = `arn:aws:ecs:us-east-2:444455556666:task/batch-b/${String(id).padStart(32, 'b')}`;
  return event;
}

describe('exactly one message per task stop, with the DynamoDB idempotency table (dynalite)', () => {
  it('two invocations racing on one task stop send one message; the loser is retried and skipped', async () => {
    const a = await coldStart(env(sink.hookUrl));
    const b = await coldStart(env(sink.hookUrl));
    const before = sink.messages().length;
    const event = stopped(1);
    const [first, second] = await Promise.all([
      a.handler(sqsBatch([event]), lambdaContext()),
      b.handler(sqsBatch([event]), lambdaContext()),
    ]);
    const failures = [first, second].map(
      (r) => (r as { batchItemFailures: unknown[] }).batchItemFailures.length,
    );
    expect(sink.messages().length - before).toBe(1);
    expect(failures.sort()).toEqual([0, 1]);
    // SQS redelivers the loser's record: by then the stop is recorded as sent.
    expect(await b.handler(sqsBatch([event]), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(sink.messages().length - before).toBe(1);
  });

  it('records a task stop as sent only after Slack accepted it, so a failed send is sent on retry', async () => {
    const { handler } = await coldStart(env(sink.hookUrl));
    const before = sink.messages().length;
    const event = stopped(2);
    sink.setFailure({ status: 404, times: 1 });
    expect(
      ((await handler(sqsBatch([event]), lambdaContext())) as { batchItemFailures: unknown[] })
        .batchItemFailures,
    ).toHaveLength(1);
    expect(await handler(sqsBatch([event]), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(sink.messages().length - before).toBe(1);
  });
});

describe('digests and the ledger (dynalite)', () => {
  const taskIdOf = (event: { detail: Record<string, unknown> }) =>
    String(event.detail.taskArn).split('/').pop();

  it('a digest leaves out the members another invocation already sent, and counts the rest', async () => {
    const { handler } = await coldStart(env(sink.hookUrl));
    const stops = Array.from({ length: 8 }, (_, i) => stopped(200 + i));
    const before = sink.messages().length;
    // Another invocation sent three of them one by one.
    expect(await handler(sqsBatch(stops.slice(0, 3)), lambdaContext())).toEqual({ batchItemFailures: [] });
    const afterSingles = sink.messages().length;

    expect(await handler(sqsBatch(stops), lambdaContext())).toEqual({ batchItemFailures: [] });

    const digest = JSON.stringify(sink.messages().slice(afterSingles));
    expect(afterSingles - before).toBe(3);
    expect(sink.messages().length - afterSingles).toBe(1);
    expect(digest).toContain('5 failed of 5 tasks');
    expect(digest).toContain('and 2 more');
    for (const event of stops.slice(3, 6)) expect(digest).toContain(taskIdOf(event));
    for (const event of stops.slice(0, 3)) expect(digest).not.toContain(taskIdOf(event));
  });

  it('a batch redelivered after its digest got no answer before the deadline sends it once more, and no task twice', async () => {
    const webhook = await startScriptedServer([{ hang: true }, { status: 200 }]);
    try {
      const { handler } = await coldStart(env(`${webhook.url}/hook`));
      const stops = Array.from({ length: 7 }, (_, i) => stopped(300 + i));
      const first = (await handler(sqsBatch(stops), lambdaContext(5000))) as { batchItemFailures: unknown[] };
      const second = await handler(sqsBatch(stops), lambdaContext());
      const third = await handler(sqsBatch(stops), lambdaContext());

      expect(first.batchItemFailures).toHaveLength(7);
      expect(second).toEqual({ batchItemFailures: [] });
      expect(third).toEqual({ batchItemFailures: [] });
      expect(webhook.requests).toHaveLength(2);
      // The same digest, every member in it, both times.
      expect(webhook.requests.map((r) => JSON.parse(r.body).text)).toEqual([
        expect.stringContaining('7 failed of 7 tasks'),
        expect.stringContaining('7 failed of 7 tasks'),
      ]);
    } finally {
      await webhook.close();
    }
  });
});

describe('routes and the ledger (dynalite)', () => {
  it('a task stop sent to one route and failed on another is sent again on the failed route only', async () => {
    const alertsSecret = 'arn:aws:secretsmanager:us-east-2:444455556666:secret:slack/alerts-Al3rts';
    const logSecret = 'arn:aws:secretsmanager:us-east-2:444455556666:secret:slack/log-L0gL0g';
    const alerts = await startScriptedServer([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '60' } },
      { status: 200 },
    ]);
    const log = await startScriptedServer([{ status: 200 }]);
    const secrets = await startSecretsManager(alertsSecret, `${alerts.url}/hook`, {
      [logSecret]: `${log.url}/hook`,
    });
    try {
      const { handler } = await coldStart({
        ...env(''),
        SLACK_WEBHOOK_URL: undefined,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
        NOTIFIER_CONFIG: JSON.stringify({
          routes: [
            { name: 'alerts', match: { outcomes: ['failed'] }, webhookSecretArn: alertsSecret },
            { name: 'log', webhookSecretArn: logSecret },
          ],
        }),
      });
      const batch = sqsBatch([stopped(400)]);

      const first = (await handler(batch, lambdaContext(10_000))) as { batchItemFailures: unknown[] };
      const again = await handler(batch, lambdaContext());

      expect(first.batchItemFailures).toHaveLength(1);
      expect(again).toEqual({ batchItemFailures: [] });
      expect([alerts.requests.length, log.requests.length]).toEqual([2, 1]);
    } finally {
      await Promise.all([alerts.close(), log.close(), secrets.close()]);
    }
  });
});

describe('webhook faults the sink cannot produce: resets and silence', () => {
  let webhook: ScriptedServer;

  afterAll(async () => {
    await webhook?.close();
  });

  it('a connection dropped after the post is sent once more, and not again', async () => {
    webhook = await startScriptedServer([{ reset: true }, { status: 200 }]);
    const { handler } = await coldStart(env(`${webhook.url}/services/T0/B0/token-reset`));
    const event = stopped(3);
    expect(await handler(sqsBatch([event]), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handler(sqsBatch([event]), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(webhook.requests).toHaveLength(2);
  });

  it('a webhook that never answers gets a task stop at most twice, across every receive', async () => {
    await webhook.close();
    webhook = await startScriptedServer([{ hang: true }]);
    const { handler } = await coldStart(env(`${webhook.url}/services/T0/B0/token-hang`));
    const event = stopped(4);
    const receive = async () => {
      const batch = sqsBatch([event, loadEvent('container-instance-change')]);
      const response = (await handler(batch, lambdaContext(5000))) as { batchItemFailures: unknown[] };
      return response.batchItemFailures.length;
    };
    // First receive: no answer before the deadline, so the record goes back to the queue.
    expect(await receive()).toBe(1);
    // Second: sent once more, again unanswered; counted as sent (it may have arrived).
    expect(await receive()).toBe(0);
    // Any later receive (a duplicate delivery, a redrive) is skipped.
    expect(await receive()).toBe(0);
    expect(webhook.requests).toHaveLength(2);
  });
});

describe('pacing never pushes an event towards the DLQ', () => {
  it('folds what the pace cannot send before the deadline into digests, and sends every stop', async () => {
    const { handler } = await coldStart({ ...env(sink.hookUrl), SLACK_RATE_PER_SECOND: '1' });
    const before = sink.messages().length;
    const events = Array.from({ length: 10 }, (_, i) => {
      const event = stopped(100 + i);
      event.detail.taskDefinitionArn = `arn:aws:ecs:us-east-2:444455556666:task-definition/job-${i}:1`;
      return event;
    });
    // 7 s left: 4 s before the deadline at 0.95 messages a second leaves room for 3 sends.
    const response = await handler(sqsBatch(events), lambdaContext(7000));
    expect(response).toEqual({ batchItemFailures: [] });
    const posted = sink.messages().slice(before);
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.length).toBeLessThanOrEqual(3);
    for (const event of events) {
      const taskId = String(event.detail.taskArn).split('/').pop() as string;
      expect(JSON.stringify(posted)).toContain(taskId);
    }
  });
});

describe('logs', () => {
  it('never hold the webhook URL, even when the webhook fails', async () => {
    const webhook = await startScriptedServer([
      { reset: true },
      { hang: true },
      { status: 404, body: 'no_service' },
    ]);
    try {
      const { handler } = await coldStart(env(`${webhook.url}/services/T0/B0/token-in-logs`));
      const from = printed.length;
      for (const n of [5, 6, 7]) await handler(sqsBatch([stopped(n)]), lambdaContext(5000));
      const logged = printed.slice(from).join('');
      expect(logged).toContain('"level":"ERROR"');
      expect(logged).not.toContain('token-in-logs');
    } finally {
      await webhook.close();
    }
  });
});
