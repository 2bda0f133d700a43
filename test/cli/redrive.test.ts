import { afterEach, describe, expect, it } from 'vitest';
import { regionOfQueueUrl } from '../../cli/commands/redrive.js';
import { runCli } from '../support/cli.js';
import { AWS_TEST_ENV } from '../support/handler-harness.js';
import { startSqsQueues } from '../support/sqs-queues.js';

const DLQ = 'https://sqs.eu-west-1.amazonaws.com/210987654321/forward-dlq';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/events';
const events = Array.from({ length: 23 }, (_, i) =>
  JSON.stringify({ 'detail-type': 'ECS Task State Change', n: i }),
);

let sqs: Awaited<ReturnType<typeof startSqsQueues>> | undefined;
afterEach(async () => {
  await sqs?.close();
  sqs = undefined;
});

const env = () => ({ ...AWS_TEST_ENV, AWS_ENDPOINT_URL_SQS: sqs?.url });

describe('redrive', () => {
  it('moves every message from one queue to the other, bodies unchanged, and says how many', async () => {
    sqs = await startSqsQueues({ 'forward-dlq': events, events: [] });

    const { code, stdout, stderr } = await runCli(['redrive', '--from', DLQ, '--to', QUEUE], env());

    expect(code).toBe(0);
    expect(stdout.trim()).toBe('moved 23 messages; 0 left');
    expect(stderr).toContain('redrive: 20 moved so far');
    expect(sqs.bodies('forward-dlq')).toEqual([]);
    expect(sqs.bodies('events')).toEqual(events);
  });

  it('leaves in the source, and names, what the destination refused, and exits 1', async () => {
    sqs = await startSqsQueues({ 'forward-dlq': events, events: [] }, (body) => body.includes('"n":7}'));

    const { code, stdout, stderr } = await runCli(['redrive', '--from', DLQ, '--to', QUEUE], env());

    expect(code).toBe(1);
    expect(stdout.trim()).toBe('moved 22 messages; 1 left');
    expect(stderr).toContain('left in --from: forward-dlq-7 (InvalidMessageContents)');
    expect(sqs.bodies('forward-dlq')).toEqual([events[7]]);
  });

  it('only counts with --dry-run', async () => {
    sqs = await startSqsQueues({ 'forward-dlq': events, events: [] });

    const { code, stdout } = await runCli(['redrive', '--from', DLQ, '--to', QUEUE, '--dry-run'], env());

    expect([code, stdout.trim()]).toEqual([0, 'would move about 23 messages (dry run: none moved)']);
    expect(sqs.bodies('events')).toEqual([]);
  });

  it.each([
    [['--from', DLQ], 'give both --from QUEUE_URL and --to QUEUE_URL'],
    [['--from', 'forward-dlq', '--to', QUEUE], '--from expects a queue URL like'],
    [['--from', QUEUE, '--to', QUEUE], '--from and --to name the same queue'],
  ])('refuses %j, saying why', async (args, message) => {
    const { code, stderr } = await runCli(['redrive', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it("reads each queue's region from its URL", () => {
    expect([regionOfQueueUrl(DLQ), regionOfQueueUrl('https://sqs.cn-north-1.amazonaws.com.cn/1/q')]).toEqual([
      'eu-west-1',
      'cn-north-1',
    ]);
  });
});
