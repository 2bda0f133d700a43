import { GetLogEventsCommand, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLogsClient } from '../../local/demo.js';
import { type LogsApi, startLogsApi } from '../../local/logs-api.js';

const GROUP = '/ecs/report';
const STREAM = 'ecs/report/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const T0 = Date.UTC(2025, 5, 12, 3, 0, 0);
/** Ten events a second apart: `line 1` … `line 10`, stored out of order. */
const EVENTS = Array.from({ length: 10 }, (_, i) => ({
  timestamp: T0 + i * 1000,
  message: `line ${i + 1}`,
})).reverse();

let api: LogsApi;
beforeAll(async () => {
  api = await startLogsApi({
    streams: [{ group: GROUP, stream: STREAM, events: EVENTS }],
    groups: ['/ecs/empty'],
  });
});
afterAll(() => api.close());

/** GetLogEvents through the real CloudWatch Logs client. */
function get(input: Partial<GetLogEventsCommandInput>) {
  return localLogsClient(api.url, 'us-east-1').send(
    new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, ...input }),
  );
}

const messages = (answer: { events?: { message?: string }[] }) => answer.events?.map((e) => e.message);

describe('local CloudWatch Logs API: GetLogEvents', () => {
  it('answers the newest events by default (startFromHead false), oldest first, with both tokens', async () => {
    const answer = await get({ limit: 3 });

    expect(messages(answer)).toEqual(['line 8', 'line 9', 'line 10']);
    expect(answer.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    expect(answer.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(answer.events?.[0]).toMatchObject({ timestamp: T0 + 7000, ingestionTime: T0 + 8000 });
  });

  it('pages back with nextBackwardToken, and gives the same token back at the start of the stream', async () => {
    const last = await get({ limit: 4 });
    const before = await get({ limit: 4, nextToken: last.nextBackwardToken });
    const first = await get({ limit: 4, nextToken: before.nextBackwardToken });
    const end = await get({ limit: 4, nextToken: first.nextBackwardToken });

    expect([messages(before), messages(first)]).toEqual([
      ['line 3', 'line 4', 'line 5', 'line 6'],
      ['line 1', 'line 2'],
    ]);
    expect(end.events).toEqual([]);
    expect(end.nextBackwardToken).toBe(first.nextBackwardToken);
  });

  it('reads from the head with startFromHead, and onward with nextForwardToken', async () => {
    const head = await get({ limit: 2, startFromHead: true });
    const next = await get({ limit: 2, startFromHead: true, nextToken: head.nextForwardToken });

    expect([messages(head), messages(next)]).toEqual([
      ['line 1', 'line 2'],
      ['line 3', 'line 4'],
    ]);
  });

  it('keeps to startTime and endTime (endTime excluded)', async () => {
    expect(messages(await get({ startTime: T0 + 2000, endTime: T0 + 5000 }))).toEqual([
      'line 3',
      'line 4',
      'line 5',
    ]);
  });

  it('answers ResourceNotFoundException for a missing stream or group, and no events for an empty group stream', async () => {
    await expect(get({ logStreamName: 'ecs/report/other' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await expect(get({ logGroupName: '/ecs/none' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    api.put('/ecs/empty', 'later', []);
    expect((await get({ logGroupName: '/ecs/empty', logStreamName: 'later' })).events).toEqual([]);
  });

  it('refuses a limit out of range, and both a group name and identifier', async () => {
    await expect(get({ limit: 10_001 })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(get({ logGroupIdentifier: GROUP })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('takes the group by ARN in logGroupIdentifier', async () => {
    const answer = await get({
      logGroupName: undefined,
      logGroupIdentifier: `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}`,
      limit: 1,
    });

    expect(messages(answer)).toEqual(['line 10']);
  });
});
