import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { LiveAggregate } from '../domain/message/live-digest.js';
import type { ThreadState } from '../domain/message/thread-message.js';
import { KEEP_RECORDS_SECONDS } from './sent-ledger.js';

/** One live message of a route, source and family (a digest, or a failure thread's first card): what it counts, where it is. */
export interface LiveItem {
  /** Bumped by every merge: the newest aggregate's number. */
  version: number;
  /** When the window began (epoch milliseconds): the first merge's time. */
  startedAt: number;
  /** A live digest's counts, or a failure thread's first card and count. */
  aggregate: LiveAggregate | ThreadState;
  /** The version the message in Slack shows; below `version` when a merge is not shown yet. */
  shown: number;
  /** Where the message is, once posted. */
  ts?: string;
  channel?: string;
  /** Who renders and sends it now, and until when (epoch milliseconds). */
  leaseOwner?: string;
  leaseUntil?: number;
}

/**
 * Live messages in a store every invocation shares. Each write is conditional, so no update is
 * lost: merges on the version (compare and set), what the message shows only by the lease's
 * owner, one owner at a time.
 */
export interface LiveLedger {
  read(key: string): Promise<LiveItem | undefined>;
  /**
   * Writes the merged aggregate as `next.version` if the item is still at `expected` (`undefined`:
   * there is none yet); `false` when another write came first. A new window forgets the message.
   */
  merge(
    key: string,
    expected: number | undefined,
    next: { version: number; startedAt: number; aggregate: LiveAggregate | ThreadState; newWindow: boolean },
  ): Promise<boolean>;
  /** Takes the lease until `until`, if nobody holds it or it expired by `now`. */
  lease(key: string, owner: string, until: number, now: number): Promise<boolean>;
  /** Records, as the lease's owner, that the message at `ts` shows `version` of the window `startedAt`. */
  show(
    key: string,
    owner: string,
    shown: { version: number; startedAt: number; ts: string; channel: string },
  ): Promise<boolean>;
  /** Gives the lease back; with `ifVersion`, only while no newer merge came (else `false`: show it too). */
  release(key: string, owner: string, ifVersion?: number): Promise<boolean>;
}

const KEY_PREFIX = 'ecs-task-notifier-live';

/** A bounded item key whatever the route and family names. */
export function liveItemKey(key: string): string {
  return `${KEY_PREFIX}#${createHash('md5').update(key).digest('base64')}`;
}

/** In memory, for `replay` and local runs: the same conditions, in one process. */
export function createMemoryLiveLedger(): LiveLedger {
  const items = new Map<string, LiveItem>();
  const get = (key: string) => items.get(liveItemKey(key));
  return {
    async read(key) {
      const item = get(key);
      return item ? structuredClone(item) : undefined;
    },
    async merge(key, expected, next) {
      const item = get(key);
      if ((item?.version ?? undefined) !== expected) return false;
      const { newWindow, ...fields } = next;
      if (item && !newWindow) Object.assign(item, structuredClone(fields));
      else items.set(liveItemKey(key), { ...structuredClone(fields), shown: 0 });
      return true;
    },
    async lease(key, owner, until, now) {
      const item = get(key);
      if (!item) return false;
      if (item.leaseOwner && item.leaseOwner !== owner && (item.leaseUntil ?? 0) >= now) return false;
      item.leaseOwner = owner;
      item.leaseUntil = until;
      return true;
    },
    async show(key, owner, shown) {
      const item = get(key);
      if (!item || item.leaseOwner !== owner || item.startedAt !== shown.startedAt) return false;
      Object.assign(item, { shown: shown.version, ts: shown.ts, channel: shown.channel });
      return true;
    },
    async release(key, owner, ifVersion) {
      const item = get(key);
      if (!item || item.leaseOwner !== owner) return false;
      if (ifVersion !== undefined && item.version !== ifVersion) return false;
      delete item.leaseOwner;
      delete item.leaseUntil;
      return true;
    },
  };
}

/** In the stack's idempotency table, beside the sent ledger's records, expiring with them. */
export function createDynamoDbLiveLedger(
  tableName: string,
  client: DynamoDBClient = new DynamoDBClient({}),
): LiveLedger {
  const Key = (key: string) => ({ id: { S: liveItemKey(key) } });
  const n = (value: number): AttributeValue => ({ N: String(value) });
  /** A conditional update: `false` when its condition did not hold. */
  const update = async (
    key: string,
    expression: string,
    condition: string,
    values: Record<string, AttributeValue>,
  ): Promise<boolean> => {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: Key(key),
          UpdateExpression: expression,
          ConditionExpression: condition,
          // Every name through #: `version`, `ts` and others are DynamoDB reserved words.
          ExpressionAttributeNames: Object.fromEntries(
            [...`${expression} ${condition}`.matchAll(/#(\w+)/g)].map(([name, word]) => [
              name,
              word as string,
            ]),
          ),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };
  return {
    async read(key) {
      const answer = await client.send(
        new GetItemCommand({ TableName: tableName, Key: Key(key), ConsistentRead: true }),
      );
      return answer.Item ? itemOf(answer.Item) : undefined;
    },
    merge(key, expected, next) {
      const set = 'SET #version = :v, #startedAt = :s, #aggregate = :a, #expiration = :e';
      return update(
        key,
        // A new window's message is a new post; whoever sent the old one stops there.
        next.newWindow ? `${set}, #shown = :zero REMOVE #ts, #channel, #leaseOwner, #leaseUntil` : set,
        expected === undefined ? 'attribute_not_exists(#id)' : '#version = :expected',
        {
          ':v': n(next.version),
          ':s': n(next.startedAt),
          ':a': { S: JSON.stringify(next.aggregate) },
          ':e': n(Math.floor(next.startedAt / 1000) + KEEP_RECORDS_SECONDS),
          ...(next.newWindow ? { ':zero': n(0) } : {}),
          ...(expected === undefined ? {} : { ':expected': n(expected) }),
        },
      );
    },
    lease: (key, owner, until, now) =>
      update(
        key,
        'SET #leaseOwner = :o, #leaseUntil = :u',
        'attribute_exists(#id) AND (attribute_not_exists(#leaseOwner) OR #leaseOwner = :o OR #leaseUntil < :now)',
        { ':o': { S: owner }, ':u': n(until), ':now': n(now) },
      ),
    show: (key, owner, shown) =>
      update(key, 'SET #shown = :v, #ts = :ts, #channel = :c', '#leaseOwner = :o AND #startedAt = :s', {
        ':v': n(shown.version),
        ':ts': { S: shown.ts },
        ':c': { S: shown.channel },
        ':o': { S: owner },
        ':s': n(shown.startedAt),
      }),
    release: (key, owner, ifVersion) =>
      update(
        key,
        'REMOVE #leaseOwner, #leaseUntil',
        ifVersion === undefined ? '#leaseOwner = :o' : '#leaseOwner = :o AND #version = :v',
        { ':o': { S: owner }, ...(ifVersion === undefined ? {} : { ':v': n(ifVersion) }) },
      ),
  };
}

function itemOf(item: Record<string, AttributeValue>): LiveItem {
  const num = (name: string) => (item[name]?.N === undefined ? undefined : Number(item[name]?.N));
  const str = (name: string) => item[name]?.S;
  const ts = str('ts');
  const channel = str('channel');
  const leaseOwner = str('leaseOwner');
  const leaseUntil = num('leaseUntil');
  return {
    version: num('version') ?? 0,
    startedAt: num('startedAt') ?? 0,
    aggregate: JSON.parse(str('aggregate') ?? '{}') as LiveAggregate | ThreadState,
    shown: num('shown') ?? 0,
    ...(ts ? { ts } : {}),
    ...(channel ? { channel } : {}),
    ...(leaseOwner ? { leaseOwner } : {}),
    ...(leaseUntil === undefined ? {} : { leaseUntil }),
  };
}
