import { createHash } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { KEEP_RECORDS_SECONDS } from './sent-ledger.js';

/** A window's count of one repeating event: how many, and which came first. */
export interface RepeatTally {
  /** Events counted in the window so far, each once (a redelivery is not counted again). */
  count: number;
  /** The event counted first: the one notified. */
  first: string;
  /** When the first happened (epoch milliseconds), as its event said. */
  firstAt?: number;
}

/**
 * Counts repeats of an event (an impaired service's, every few minutes) per window, so the first
 * is notified and the rest are counted. Each event is counted once, by its ID: a redelivered event
 * changes nothing, and the first stays the first.
 */
export interface RepeatLedger {
  /** Counts `member` in the window `key` (kept as long as the sent ledger's records) and returns its tally. */
  tally(key: string, member: string, at?: number): Promise<RepeatTally>;
  /** The window's tally without counting anything; `undefined` when it counted nothing. */
  peek(key: string): Promise<RepeatTally | undefined>;
}

/** The table's items for counts share it with the sent ledger's, under a prefix of their own. */
const KEY_PREFIX = 'ecs-task-notifier-repeats';

/** Key digests, as Powertools hashes the sent ledger's: a bounded item key whatever the ARN. */
function digest(key: string): string {
  return createHash('md5').update(key).digest('base64');
}

/** In memory, for `replay` and local runs (one process). */
export function createMemoryRepeatLedger(): RepeatLedger {
  const windows = new Map<string, { members: Set<string>; first: string; firstAt?: number }>();
  const tallyOf = (w: { members: Set<string>; first: string; firstAt?: number }): RepeatTally => ({
    count: w.members.size,
    first: w.first,
    ...(w.firstAt === undefined ? {} : { firstAt: w.firstAt }),
  });
  return {
    async tally(key, member, at) {
      const id = digest(key);
      let window = windows.get(id);
      if (!window) {
        window = { members: new Set(), first: member, ...(at === undefined ? {} : { firstAt: at }) };
        windows.set(id, window);
      }
      window.members.add(member);
      return tallyOf(window);
    },
    async peek(key) {
      const window = windows.get(digest(key));
      return window ? tallyOf(window) : undefined;
    },
  };
}

/**
 * In the stack's idempotency table (the function's role may already update it): one item per
 * window, `ADD` of the event's ID to a string set (so a redelivery counts once), the first kept with
 * `if_not_exists`, expiring with the sent ledger's records.
 */
export function createDynamoDbRepeatLedger(
  tableName: string,
  client: DynamoDBClient = new DynamoDBClient({}),
): RepeatLedger {
  const itemKey = (key: string) => ({ id: { S: `${KEY_PREFIX}#${digest(key)}` } });
  return {
    async tally(key, member, at) {
      const expiration = Math.floor(Date.now() / 1000) + KEEP_RECORDS_SECONDS;
      const answer = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(key),
          UpdateExpression: `ADD members :member SET #first = if_not_exists(#first, :first), expiration = if_not_exists(expiration, :expiration)${at === undefined ? '' : ', firstAt = if_not_exists(firstAt, :at)'}`,
          ExpressionAttributeNames: { '#first': 'first' },
          ExpressionAttributeValues: {
            ':member': { SS: [member] },
            ':first': { S: member },
            ':expiration': { N: String(expiration) },
            ...(at === undefined ? {} : { ':at': { N: String(at) } }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return tallyOfItem(answer.Attributes) ?? { count: 1, first: member };
    },
    async peek(key) {
      const answer = await client.send(
        new GetItemCommand({ TableName: tableName, Key: itemKey(key), ConsistentRead: true }),
      );
      return tallyOfItem(answer.Item);
    },
  };
}

function tallyOfItem(
  item: Record<string, { SS?: string[]; S?: string; N?: string }> | undefined,
): RepeatTally | undefined {
  const first = item?.first?.S;
  if (!item || first === undefined) return undefined;
  const firstAt = item.firstAt?.N === undefined ? undefined : Number(item.firstAt.N);
  return { count: item.members?.SS?.length ?? 0, first, ...(firstAt === undefined ? {} : { firstAt }) };
}
