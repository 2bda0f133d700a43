import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemorySentLedger,
  createSentLedger,
  KEEP_RECORDS_SECONDS,
  resendKey,
  type SentLedger,
  sentKey,
} from '../../../lambda/adapters/sent-ledger.js';
import { type LocalDynamo, startDynamo } from '../../support/dynalite.js';

const TABLE = 'ecs-task-notifier-idempotency';
let dynamo: LocalDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynamo(TABLE);
  client = dynamo.client;
});

afterAll(async () => {
  await dynamo?.close();
});

function dynamoLedger(): SentLedger {
  return createSentLedger(new DynamoDBPersistenceLayer({ tableName: TABLE, awsSdkV3Client: client }));
}

/** One ledger, as one replay run (or one local Lambda process) has. */
const memory = createMemorySentLedger();

const ARN = 'arn:aws:ecs:eu-west-1:111122223333:task/batch-a/0f1e2d3c4b5a69788796a5b4c3d2e1f0';

describe.each([
  ['DynamoDB (dynalite)', dynamoLedger],
  ['memory', () => memory],
])('the sent ledger on %s', (_, makeLedger) => {
  it('claims a new task stop, then calls it done once completed', async () => {
    const ledger = makeLedger();
    const key = sentKey(ARN, `STOPPED-${_}-1`);
    expect(await ledger.claim(key, 30_000)).toBe('claimed');
    await ledger.complete(key);
    expect(await ledger.claim(key, 30_000)).toBe('done');
  });

  it('says in-progress while another invocation holds the claim', async () => {
    const ledger = makeLedger();
    const key = sentKey(ARN, `STOPPED-${_}-2`);
    expect(await ledger.claim(key, 30_000)).toBe('claimed');
    expect(await ledger.claim(key, 30_000)).toBe('in-progress');
  });

  it('lets a released claim be taken again, so a failed send is retried', async () => {
    const ledger = makeLedger();
    const key = sentKey(ARN, `STOPPED-${_}-3`);
    await ledger.claim(key, 30_000);
    await ledger.release(key);
    expect(await ledger.claim(key, 30_000)).toBe('claimed');
  });

  it('says unconfirmed for a stop sent without an answer from Slack, and keeps its resend key apart', async () => {
    const ledger = makeLedger();
    const key = sentKey(ARN, `STOPPED-${_}-4`);
    await ledger.claim(key, 30_000);
    await ledger.markUnconfirmed(key);
    expect(await ledger.claim(key, 30_000)).toBe('unconfirmed');
    expect(await ledger.claim(resendKey(key), 30_000)).toBe('claimed');
    await ledger.complete(resendKey(key));
    expect(await ledger.claim(resendKey(key), 30_000)).toBe('done');
    expect(await ledger.claim(key, 30_000)).toBe('unconfirmed');
  });

  it('gives exactly one of two racing claims on the same task stop', async () => {
    const key = sentKey(ARN, `STOPPED-${_}-race`);
    const [a, b] = [makeLedger(), makeLedger()];
    const claims = await Promise.all([a.claim(key, 30_000), b.claim(key, 30_000)]);
    expect(claims.sort()).toEqual(['claimed', 'in-progress']);
  });
});

describe('DynamoDB records', () => {
  it('expire (TTL attribute) no sooner than 24 hours after the send', async () => {
    const ledger = dynamoLedger();
    const key = sentKey(ARN, 'STOPPED-ttl');
    await ledger.claim(key, 30_000);
    await ledger.complete(key);
    const items = (await client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
    const expirations = items.map((item) => Number(item.expiration?.N));
    const now = Date.now() / 1000;
    expect(KEEP_RECORDS_SECONDS).toBeGreaterThanOrEqual(24 * 3600);
    expect(Math.max(...expirations)).toBeGreaterThanOrEqual(now + 24 * 3600);
  });
});
