import { createHash } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDynamoDbRepeatLedger,
  createMemoryRepeatLedger,
  type RepeatLedger,
} from '../../../lambda/adapters/repeat-ledger.js';
import { KEEP_RECORDS_SECONDS } from '../../../lambda/adapters/sent-ledger.js';
import { type LocalDynamo, startDynamo } from '../../support/dynalite.js';

const TABLE = 'ecs-task-notifier-idempotency';
let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynamo(TABLE);
});

afterAll(async () => {
  await dynamo?.close();
});

const AT = Date.parse('2025-02-10T07:12:41Z');
let n = 0;
/** A window of its own for each test, as each hour of each service is. */
const windowKey = () =>
  `arn:aws:ecs:us-east-2:444455556666:service/batch-b/web#SERVICE_TASK_PLACEMENT_FAILURE#${n++}`;

describe.each([
  ['DynamoDB (dynalite)', () => createDynamoDbRepeatLedger(TABLE, dynamo.client)],
  ['memory', () => createMemoryRepeatLedger()],
])('the repeat ledger on %s', (_, makeLedger: () => RepeatLedger) => {
  it('counts each event of a window once, keeping the first and its time', async () => {
    const ledger = makeLedger();
    const key = windowKey();

    expect(await ledger.tally(key, 'event-1', AT)).toEqual({ count: 1, first: 'event-1', firstAt: AT });
    expect(await ledger.tally(key, 'event-2', AT + 300_000)).toEqual({
      count: 2,
      first: 'event-1',
      firstAt: AT,
    });
    expect(await ledger.tally(key, 'event-3', AT + 600_000)).toMatchObject({ count: 3, first: 'event-1' });
  });

  it('counts a redelivered event once: the first stays the first', async () => {
    const ledger = makeLedger();
    const key = windowKey();
    await ledger.tally(key, 'event-1', AT);

    expect(await ledger.tally(key, 'event-1', AT)).toEqual({ count: 1, first: 'event-1', firstAt: AT });
  });

  it('reads a window without counting, and nothing where nothing was counted', async () => {
    const ledger = makeLedger();
    const key = windowKey();
    await ledger.tally(key, 'event-1', AT);
    await ledger.tally(key, 'event-2', AT);

    expect(await ledger.peek(key)).toEqual({ count: 2, first: 'event-1', firstAt: AT });
    expect(await ledger.peek(key)).toEqual({ count: 2, first: 'event-1', firstAt: AT });
    expect(await ledger.peek(windowKey())).toBeUndefined();
  });

  it('keeps the windows of two keys apart', async () => {
    const ledger = makeLedger();
    const [a, b] = [windowKey(), windowKey()];
    await ledger.tally(a, 'event-1', AT);

    expect(await ledger.tally(b, 'event-2', AT)).toEqual({ count: 1, first: 'event-2', firstAt: AT });
  });
});

describe('the repeat ledger in the idempotency table', () => {
  it('keeps its items under a prefix of their own, expiring with the sent ledger’s records', async () => {
    const ledger = createDynamoDbRepeatLedger(TABLE, dynamo.client);
    const before = Math.floor(Date.now() / 1000);
    const key = windowKey();
    await ledger.tally(key, 'event-1', AT);

    const items = (await dynamo.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
    // This test's item only: the other tests' were written earlier, maybe in an earlier second.
    const id = `ecs-task-notifier-repeats#${createHash('md5').update(key).digest('base64')}`;
    const ours = items.filter((i) => i.id?.S === id);
    expect(ours).toHaveLength(1);
    for (const item of ours) {
      const expiration = Number(item.expiration?.N);
      expect(expiration).toBeGreaterThanOrEqual(before + KEEP_RECORDS_SECONDS);
      expect(expiration).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + KEEP_RECORDS_SECONDS);
    }
  });
});
