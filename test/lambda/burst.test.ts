import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../local/http.js';
import { type SlackSink, startSlackSink } from '../../local/slack-sink.js';
import { startEcs } from '../support/aws-stand-ins.js';
import { loadEvent } from '../support/fixtures.js';
import { AWS_TEST_ENV, coldStart } from '../support/handler-harness.js';
import { lambdaContext, sqsBatch } from '../support/sqs.js';

/** Slack's 1 message/second, scaled up so 1,000 stops take seconds, not minutes. */
const RATE = 200;
const BATCH = 10;

let sink: SlackSink;
let ecs: RunningServer;

beforeAll(async () => {
  sink = await startSlackSink({ port: 0, ratePerSecond: RATE });
  ecs = await startEcs([]);
});

afterAll(async () => {
  await Promise.all([sink?.close(), ecs?.close()]);
});

/** 600 stops of distinct families, then 40 batches of 10 stops of one family each (an array job). */
function burstEvents() {
  return Array.from({ length: 1000 }, (_, i) => {
    const event = loadEvent('fargate-stopped-succeeded');
    const family = i < 600 ? `job-${i}` : `array-job-${Math.floor((i - 600) / BATCH)}`;
    event.detail.taskArn = `arn:aws:ecs:eu-west-1:111122223333:task/batch-a/${i.toString(16).padStart(32, '0')}`;
    event.detail.taskDefinitionArn = `arn:aws:ecs:eu-west-1:111122223333:task-definition/${family}:1`;
    if (i % 7 === 0) event.detail.containers = [{ name: 'report', exitCode: 1, lastStatus: 'STOPPED' }];
    return event;
  });
}

describe('a burst of 1,000 STOPPED events against a rate-limited Slack', () => {
  it('accounts for every event, sends no task twice and digests the array jobs', async () => {
    const { handler } = await coldStart({
      ...AWS_TEST_ENV,
      AWS_ENDPOINT_URL_ECS: ecs.url,
      NOTIFIER_CONFIG: JSON.stringify({ digestThreshold: 5 }),
      SLACK_WEBHOOK_SECRET_ARN: undefined,
      SLACK_WEBHOOK_URL: sink.hookUrl,
      SLACK_RATE_PER_SECOND: String(RATE),
      IDEMPOTENCY_TABLE_NAME: undefined,
    });
    const events = burstEvents();
    let failures = 0;
    for (let i = 0; i < events.length; i += BATCH) {
      const response = (await handler(sqsBatch(events.slice(i, i + BATCH)), lambdaContext(120_000))) as {
        batchItemFailures: unknown[];
      };
      failures += response.batchItemFailures.length;
    }

    const messages = sink.messages().map((m) => JSON.stringify(m.payload));
    // A digest's notification counts its tasks: `family:1: 2 failed, 8 succeeded of 10 tasks in …`.
    const digests = messages.filter((m) => /"text":"[^"]* of \d+ tasks in /.test(m));
    const singles = messages.length - digests.length;
    expect(failures).toBe(0);
    expect(digests).toHaveLength(40);
    expect(singles).toBe(600);
    expect(singles + digests.length * BATCH).toBe(events.length);
    // Each single message links its task by ID.
    const taskIds = messages
      .filter((m) => !digests.includes(m))
      .flatMap((m) =>
        [...m.matchAll(/clusters\/batch-a\/tasks\/([0-9a-f]{32})\/configuration/g)].map((x) => x[1]),
      );
    expect(taskIds).toHaveLength(600);
    expect(new Set(taskIds).size).toBe(taskIds.length);
    expect(digests[0]).toMatch(/array-job-0:1: \d+ failed, \d+ succeeded of 10 tasks in /);
  });
});
